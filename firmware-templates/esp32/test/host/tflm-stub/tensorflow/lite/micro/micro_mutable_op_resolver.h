// Host stand-in for TFLite Micro's MicroMutableOpResolver, written for fleetprune's
// firmware tests: only what the generated op_resolver.h calls (a TfLiteStatus, one Add*
// method per builtin the emitter knows, a capacity check) plus a counter to read back.
// Not TFLM code; the device build uses the real header from esp-tflite-micro.
#ifndef FP_TEST_STUB_MICRO_MUTABLE_OP_RESOLVER_H_
#define FP_TEST_STUB_MICRO_MUTABLE_OP_RESOLVER_H_

typedef enum TfLiteStatus { kTfLiteOk = 0, kTfLiteError = 1 } TfLiteStatus;

namespace tflite {

template <unsigned int kCapacity>
class MicroMutableOpResolver {
 public:
  unsigned int count() const { return count_; }

#define FP_STUB_ADD(name) \
  TfLiteStatus name() { return Register(); }
  FP_STUB_ADD(AddAdd)
  FP_STUB_ADD(AddArgMax)
  FP_STUB_ADD(AddAveragePool2D)
  FP_STUB_ADD(AddConcatenation)
  FP_STUB_ADD(AddConv2D)
  FP_STUB_ADD(AddDepthwiseConv2D)
  FP_STUB_ADD(AddDequantize)
  FP_STUB_ADD(AddFullyConnected)
  FP_STUB_ADD(AddHardSwish)
  FP_STUB_ADD(AddLeakyRelu)
  FP_STUB_ADD(AddLogistic)
  FP_STUB_ADD(AddMaxPool2D)
  FP_STUB_ADD(AddMean)
  FP_STUB_ADD(AddMul)
  FP_STUB_ADD(AddPad)
  FP_STUB_ADD(AddQuantize)
  FP_STUB_ADD(AddRelu)
  FP_STUB_ADD(AddRelu6)
  FP_STUB_ADD(AddReshape)
  FP_STUB_ADD(AddSoftmax)
  FP_STUB_ADD(AddSub)
  FP_STUB_ADD(AddTanh)
  FP_STUB_ADD(AddTranspose)
#undef FP_STUB_ADD

 private:
  TfLiteStatus Register() {
    if (count_ >= kCapacity) return kTfLiteError;
    ++count_;
    return kTfLiteOk;
  }
  unsigned int count_ = 0;
};

}  // namespace tflite

#endif  // FP_TEST_STUB_MICRO_MUTABLE_OP_RESOLVER_H_
