// Links the rendered main/generated/ files on the host and prints what they hold, so the
// e2e spec can compare it with the renderer's input:
//   key=<65-byte point hex> artifact=<id> version=<v> arena=<n> chunk=<n> url=<url>
//   ops=<comma list> registered=<n> capacity=<n> resolver_arena=<n> aligned=<0|1>
//   device=<id or -> profile=<profile or -> model=<hex of the model array>
#include <cstdint>
#include <cstdio>

#include "fp_config.h"
#include "model_data.h"
#include "op_resolver.h"

int main() {
  static const unsigned char key[65] = FP_CONFIG_SIGNING_KEY_INIT;
  static const char* const ops[] = FP_CONFIG_MODEL_OPS_INIT;
  FpModelOpResolver resolver;
  TfLiteStatus status = RegisterFpModelOps(resolver);
  std::printf("key=");
  for (unsigned char b : key) std::printf("%02x", b);
  std::printf("\nartifact=%s\nversion=%s\narena=%u\nchunk=%u\nurl=%s\nops=", FP_CONFIG_ARTIFACT_ID,
              FP_CONFIG_MODEL_VERSION, FP_CONFIG_ARENA_BYTES, FP_CONFIG_CHUNK_SIZE, FP_CONFIG_MQTT_URL);
  for (int i = 0; i < FP_CONFIG_MODEL_OP_COUNT; i++) std::printf(i ? ",%s" : "%s", ops[i]);
  std::printf("\nregistered=%u status=%d\ncapacity=%d\nresolver_arena=%d\naligned=%d\n", resolver.count(),
              static_cast<int>(status), kFpModelOpCount, kFpModelArenaSize,
              reinterpret_cast<std::uintptr_t>(fp_model) % 16 == 0 ? 1 : 0);
#ifdef FP_CONFIG_DEVICE_ID
  std::printf("device=%s\npassword=%s\nprofile=%s\n", FP_CONFIG_DEVICE_ID, FP_CONFIG_DEVICE_PASSWORD, FP_CONFIG_PROFILE);
#else
  std::printf("device=-\npassword=-\nprofile=-\n");
#endif
  std::printf("model_bytes=%u\nmodel=", FP_CONFIG_MODEL_BYTES);
  for (unsigned int i = 0; i < fp_model_len; i++) std::printf("%02x", fp_model[i]);
  std::printf("\n");
  return 0;
}
