#include "fp_fields.h"

#include <math.h>
#include <string.h>

#include "fp_limits.h"

#define FP_MAX_SAFE_INTEGER 9007199254740991.0

int fp_fields_fail(fp_fields *f, fp_status code, const char *field) {
  if (f->error->code == FP_OK) {
    f->error->code = code;
    f->error->field = field;
  }
  return 0;
}

static int failed(const fp_fields *f) { return f->error->code != FP_OK; }

static int safe_integer(const fp_json_value *v, double *out) {
  double d;
  if (v->type != FP_JSON_NUMBER) return 0;
  d = fp_json_number(v);
  if (!(fabs(d) <= FP_MAX_SAFE_INTEGER) || floor(d) != d) return 0;
  *out = d;
  return 1;
}

int fp_fields_open(fp_fields *f, const uint8_t *payload, size_t len, size_t max_bytes, fp_parse_error *error) {
  fp_json_value v;
  double version;
  f->error = error;
  error->code = FP_OK;
  error->field = NULL;
  if (len > max_bytes) return fp_fields_fail(f, FP_ERR_TOO_LARGE, NULL);
  if (fp_json_parse(payload, len, &f->object) != FP_OK || f->object.type != FP_JSON_OBJECT)
    return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, NULL);
  v = fp_json_get(&f->object, "v");
  if (!safe_integer(&v, &version)) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, "v");
  if (version != FP_PROTOCOL_VERSION) return fp_fields_fail(f, FP_ERR_UNSUPPORTED_VERSION, "v");
  return 1;
}

int fp_fields_has(const fp_fields *f, const char *field) {
  return fp_json_get(&f->object, field).type != FP_JSON_MISSING;
}

int fp_fields_integer(fp_fields *f, const char *field, double min, double max, double *out) {
  fp_json_value v;
  double d;
  if (failed(f)) return 0;
  v = fp_json_get(&f->object, field);
  if (!safe_integer(&v, &d) || d < min || d > max) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, field);
  *out = d;
  return 1;
}

int fp_fields_u32(fp_fields *f, const char *field, uint32_t min, uint32_t max, uint32_t *out) {
  double d;
  if (!fp_fields_integer(f, field, min, max, &d)) return 0;
  *out = (uint32_t)d;
  return 1;
}

int fp_json_string_rule(const fp_json_value *v, fp_string_rule rule, char *out, size_t cap) {
  size_t len;
  if (v->type != FP_JSON_STRING) return 0;
  len = fp_json_string(v, out, cap);
  return len < cap && fp_rule_ok(rule, out, len);
}

int fp_fields_string(fp_fields *f, const char *field, fp_string_rule rule, char *out, size_t cap) {
  fp_json_value v;
  if (failed(f)) return 0;
  v = fp_json_get(&f->object, field);
  if (!fp_json_string_rule(&v, rule, out, cap)) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, field);
  return 1;
}

int fp_fields_boolean(fp_fields *f, const char *field, int *out) {
  fp_json_value v;
  if (failed(f)) return 0;
  v = fp_json_get(&f->object, field);
  if (v.type != FP_JSON_TRUE && v.type != FP_JSON_FALSE) return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, field);
  *out = v.type == FP_JSON_TRUE;
  return 1;
}

int fp_fields_one_of(fp_fields *f, const char *field, const char *const *values, int *out) {
  fp_json_value v;
  char text[48];
  size_t len;
  int i;
  if (failed(f)) return 0;
  v = fp_json_get(&f->object, field);
  if (v.type == FP_JSON_STRING) {
    len = fp_json_string(&v, text, sizeof text);
    for (i = 0; len < sizeof text && values[i] != NULL; i++) {
      if (strlen(values[i]) == len && memcmp(values[i], text, len) == 0) {
        *out = i;
        return 1;
      }
    }
  }
  return fp_fields_fail(f, FP_ERR_INVALID_MESSAGE, field);
}
