/*
 * Where the application feeds the model: replace fp_app_next_input (a weak default that
 * has no input) with one that reads your sensor into `input` and returns 1.
 */
#ifndef FP_APP_INPUT_H_
#define FP_APP_INPUT_H_

#include <stddef.h>
#include <stdint.h>

/* Fills `input` (`len` bytes, int8 as the model's input tensor); *label = the true class if
 * known, else -1. Returns 1 when an input was produced. */
int fp_app_next_input(int8_t *input, size_t len, int *label);

#endif /* FP_APP_INPUT_H_ */
