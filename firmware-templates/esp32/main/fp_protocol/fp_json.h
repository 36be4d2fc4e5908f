/*
 * A small JSON reader for the two messages a device receives (ota/offer, cmd). The payload
 * is first checked whole (UTF-8 as a fatal TextDecoder checks it, then RFC 8259 grammar,
 * without recursion), so lookups afterwards can walk it blindly. Semantics follow
 * JSON.parse: a leading BOM is skipped, the last copy of a repeated key wins, numbers are
 * IEEE doubles.
 */
#ifndef FP_JSON_H_
#define FP_JSON_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_status.h"

typedef enum fp_json_type {
  FP_JSON_MISSING = 0,
  FP_JSON_OBJECT,
  FP_JSON_ARRAY,
  FP_JSON_STRING,
  FP_JSON_NUMBER,
  FP_JSON_TRUE,
  FP_JSON_FALSE,
  FP_JSON_NULL
} fp_json_type;

/* A value inside a checked document: its type and where its text starts and ends. */
typedef struct fp_json_value {
  fp_json_type type;
  const char *begin;
  const char *end;
} fp_json_value;

/* Checks a whole payload; on FP_OK *root is its top-level value. INVALID_MESSAGE otherwise. */
fp_status fp_json_parse(const uint8_t *payload, size_t len, fp_json_value *root);

/* The member `key` of an object (the last one if repeated); type FP_JSON_MISSING if absent. */
fp_json_value fp_json_get(const fp_json_value *object, const char *key);

/* Iterates an array: start with item.type == FP_JSON_MISSING; returns 0 after the last item. */
int fp_json_next_item(const fp_json_value *array, fp_json_value *item);

/* Decodes a string value to UTF-8 (lone surrogates become U+FFFD) with a NUL. Returns the
 * decoded byte length, which may exceed cap - 1; only cap - 1 bytes are stored then. */
size_t fp_json_string(const fp_json_value *value, char *out, size_t cap);

/* The number's value (only for FP_JSON_NUMBER values of a checked document). */
double fp_json_number(const fp_json_value *value);

#endif /* FP_JSON_H_ */
