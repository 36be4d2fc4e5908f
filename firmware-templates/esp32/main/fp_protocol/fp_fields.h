/*
 * Typed reads of an untrusted JSON object (FieldReader in libs/protocol). The first failure
 * wins and is kept with the field's name, so a device log says exactly what was wrong; every
 * read after a failure returns 0 at once.
 */
#ifndef FP_FIELDS_H_
#define FP_FIELDS_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_json.h"
#include "fp_rules.h"

/* Why a message was refused: a code of libs/protocol and the field (NULL when none). */
typedef struct fp_parse_error {
  fp_status code;
  const char *field;
} fp_parse_error;

typedef struct fp_fields {
  fp_json_value object;
  fp_parse_error *error;
} fp_fields;

/*
 * Checks size (TOO_LARGE above max_bytes), UTF-8, JSON, object, then "v" (INVALID_MESSAGE
 * unless an integer, UNSUPPORTED_VERSION unless 1), as jsonCodec does. 1 when all pass.
 */
int fp_fields_open(fp_fields *f, const uint8_t *payload, size_t len, size_t max_bytes, fp_parse_error *error);

/* Records a failure of `field` (the first one only); returns 0 for use in expressions. */
int fp_fields_fail(fp_fields *f, fp_status code, const char *field);
int fp_fields_has(const fp_fields *f, const char *field);
/* A safe integer in [min, max]. */
int fp_fields_integer(fp_fields *f, const char *field, double min, double max, double *out);
int fp_fields_u32(fp_fields *f, const char *field, uint32_t min, uint32_t max, uint32_t *out);
/* A string that satisfies `rule`, copied to out (cap >= fp_rule_max(rule) + 1). */
int fp_fields_string(fp_fields *f, const char *field, fp_string_rule rule, char *out, size_t cap);
int fp_fields_boolean(fp_fields *f, const char *field, int *out);
/* One of `values` (NULL-terminated); *out is its index. */
int fp_fields_one_of(fp_fields *f, const char *field, const char *const *values, int *out);

/* Whether a decoded string value satisfies rule (used for array items too). */
int fp_json_string_rule(const fp_json_value *v, fp_string_rule rule, char *out, size_t cap);

#endif /* FP_FIELDS_H_ */
