#include "model_runner.h"

#include <cmath>
#include <cstring>
#include <new>

#include "esp_timer.h"
#include "fp_config.h"
#include "op_resolver.h"
#include "sdkconfig.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

// The rendered model's need plus headroom for later models (menuconfig FP_ARENA_EXTRA_KB).
constexpr size_t kArenaBytes = kFpModelArenaSize + CONFIG_FP_ARENA_EXTRA_KB * 1024;
alignas(16) uint8_t g_arena[kArenaBytes];

FpModelOpResolver g_resolver;
bool g_resolver_ready = false;
// Placement storage: TFLM code avoids the heap, and one interpreter exists at a time.
alignas(tflite::MicroInterpreter) uint8_t g_interpreter_storage[sizeof(tflite::MicroInterpreter)];
tflite::MicroInterpreter* g_interpreter = nullptr;

const char* const kOps[] = FP_CONFIG_MODEL_OPS_INIT;
// The .tflite schema version TFLite Micro reads (TFLITE_SCHEMA_VERSION; its header moved between releases).
constexpr uint32_t kSchemaVersion = 3;

void DropInterpreter() {
  if (g_interpreter != nullptr) g_interpreter->~MicroInterpreter();
  g_interpreter = nullptr;
}

}  // namespace

extern "C" size_t fp_model_arena_bytes(void) { return kArenaBytes; }

extern "C" int fp_model_has_op(const char* op) {
  for (const char* known : kOps)
    if (std::strcmp(known, op) == 0) return 1;
  return 0;
}

extern "C" int fp_model_load(const uint8_t* data, size_t len) {
  DropInterpreter();
  // The bytes passed SHA-256 and signature checks, but verify the flatbuffer anyway: a
  // signed model from a newer exporter must fail here, not crash in a kernel.
  flatbuffers::Verifier verifier(data, len);
  if (!tflite::VerifyModelBuffer(verifier)) return 0;
  const tflite::Model* model = tflite::GetModel(data);
  if (model->version() != kSchemaVersion) return 0;
  if (!g_resolver_ready) {
    if (RegisterFpModelOps(g_resolver) != kTfLiteOk) return 0;
    g_resolver_ready = true;
  }
  g_interpreter = new (g_interpreter_storage) tflite::MicroInterpreter(model, g_resolver, g_arena, kArenaBytes);
  if (g_interpreter->AllocateTensors() != kTfLiteOk || g_interpreter->inputs_size() < 1 ||
      g_interpreter->outputs_size() < 1) {
    DropInterpreter();
    return 0;
  }
  return 1;
}

extern "C" size_t fp_model_input_bytes(void) {
  return g_interpreter == nullptr ? 0 : g_interpreter->input(0)->bytes;
}

extern "C" size_t fp_model_arena_used(void) {
  return g_interpreter == nullptr ? 0 : g_interpreter->arena_used_bytes();
}

extern "C" int fp_model_infer(const int8_t* input, size_t len, int* label, float* confidence, double* latency_ms) {
  if (g_interpreter == nullptr) return 0;
  TfLiteTensor* in = g_interpreter->input(0);
  if (in->type != kTfLiteInt8 || len != in->bytes) return 0;
  std::memcpy(in->data.int8, input, len);
  int64_t start = esp_timer_get_time();
  if (g_interpreter->Invoke() != kTfLiteOk) return 0;
  *latency_ms = (esp_timer_get_time() - start) / 1000.0;
  const TfLiteTensor* out = g_interpreter->output(0);
  if (out->type != kTfLiteInt8 || out->bytes == 0) return 0;
  size_t best = 0;
  for (size_t i = 1; i < out->bytes; i++)
    if (out->data.int8[i] > out->data.int8[best]) best = i;
  *label = static_cast<int>(best);
  float score = (out->data.int8[best] - out->params.zero_point) * out->params.scale;
  *confidence = std::isfinite(score) ? score : 0.0f;
  return 1;
}

extern "C" int fp_model_self_test(void) {
  if (g_interpreter == nullptr) return 0;
  TfLiteTensor* in = g_interpreter->input(0);
  if (in->type != kTfLiteInt8) return 0;
  std::memset(in->data.int8, static_cast<int8_t>(in->params.zero_point), in->bytes);
  if (g_interpreter->Invoke() != kTfLiteOk) return 0;
  const TfLiteTensor* out = g_interpreter->output(0);
  return out->type == kTfLiteInt8 && out->bytes > 0;
}
