/* TFLite Micro around the active model: load, self-test, infer (C interface to model_runner.cc). */
#ifndef MODEL_RUNNER_H_
#define MODEL_RUNNER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Tensor arena bytes this firmware reserves (the offer check compares arenaBytes with it). */
size_t fp_model_arena_bytes(void);
/* Whether the op resolver registers builtin `op` (the rendered model's ops). */
int fp_model_has_op(const char *op);
/* Verifies the flatbuffer and builds the interpreter over it; 1 on success. */
int fp_model_load(const uint8_t *model, size_t len);
/* One inference on a neutral input (every element at the input zero point); 1 if it ran. */
int fp_model_self_test(void);
/* Runs `input` (int8, the input tensor's size); top-1 class and its dequantized score. */
int fp_model_infer(const int8_t *input, size_t len, int *label, float *confidence, double *latency_ms);
size_t fp_model_input_bytes(void);
size_t fp_model_arena_used(void);

#ifdef __cplusplus
}
#endif

#endif /* MODEL_RUNNER_H_ */
