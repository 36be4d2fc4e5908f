#include "fp_app_input.h"

__attribute__((weak)) int fp_app_next_input(int8_t *input, size_t len, int *label) {
  (void)input, (void)len, (void)label;
  return 0;
}
