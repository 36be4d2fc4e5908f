/* Bounded JSON object writer for the messages a device sends: never overruns its buffer. */
#ifndef FP_JSON_WRITER_H_
#define FP_JSON_WRITER_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_status.h"

typedef struct fp_json_out {
  char *buf;
  size_t cap;
  size_t len;
  int overflow;
  int members;
} fp_json_out;

/* Opens the object with {"v":1 already written. */
void fp_out_begin(fp_json_out *o, char *buf, size_t cap);
void fp_out_uint(fp_json_out *o, const char *key, uint64_t value);
/* Fixed three decimals (microsecond resolution for milliseconds). */
void fp_out_number(fp_json_out *o, const char *key, double value);
void fp_out_bool(fp_json_out *o, const char *key, int value);
/* A string, escaped per RFC 8259 (quote, backslash, controls); bytes >= 0x80 pass through. */
void fp_out_string(fp_json_out *o, const char *key, const char *value);
void fp_out_uint_array(fp_json_out *o, const char *key, const uint32_t *values, size_t n);
/* Closes the object and NUL-terminates; FP_ERR_BUFFER if it did not fit, TOO_LARGE above 4096. */
fp_status fp_out_end(fp_json_out *o, size_t *len);

#endif /* FP_JSON_WRITER_H_ */
