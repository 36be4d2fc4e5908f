/* Lookups in a checked JSON document: members, array items, decoded strings, numbers. */
#include "fp_json.h"

#include <stdlib.h>
#include <string.h>

#include "fp_json_lex.h"

static unsigned hex4(const char *p) {
  unsigned v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    char c = p[i];
    v = v * 16 + (unsigned)(fp_lex_is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/* Decodes the next character of a checked string token into UTF-8; returns its byte count. */
static size_t decode_char(const char **pp, uint8_t out[4]) {
  const char *p = *pp;
  unsigned cp;
  if (*p != '\\') {
    size_t n = fp_lex_utf8_sequence((const uint8_t *)p, (const uint8_t *)p + 4);
    memcpy(out, p, n);
    *pp = p + n;
    return n;
  }
  p++;
  switch (*p) {
    case 'b': cp = '\b'; break;
    case 'f': cp = '\f'; break;
    case 'n': cp = '\n'; break;
    case 'r': cp = '\r'; break;
    case 't': cp = '\t'; break;
    case 'u':
      cp = hex4(p + 1);
      p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF && p[1] == '\\' && p[2] == 'u') {
        unsigned low = hex4(p + 3);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        }
      }
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* what Buffer.byteLength counts */
      break;
    default: cp = (unsigned char)*p; break;
  }
  *pp = p + 1;
  if (cp < 0x80) return out[0] = (uint8_t)cp, 1;
  if (cp < 0x800) return out[0] = (uint8_t)(0xC0 | cp >> 6), out[1] = (uint8_t)(0x80 | (cp & 0x3F)), 2;
  if (cp < 0x10000) {
    out[0] = (uint8_t)(0xE0 | cp >> 12), out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (uint8_t)(0xF0 | cp >> 18), out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

size_t fp_json_string(const fp_json_value *value, char *out, size_t cap) {
  const char *p = value->begin + 1, *end = value->end - 1;
  size_t total = 0;
  while (p < end) {
    uint8_t bytes[4];
    size_t n = decode_char(&p, bytes), i;
    for (i = 0; i < n; i++, total++)
      if (total + 1 < cap) out[total] = (char)bytes[i];
  }
  if (cap > 0) out[total < cap ? total : cap - 1] = '\0';
  return total;
}

/* Whether the string token at p equals `key` once decoded. */
static int key_equals(const char *p, const char *end, const char *key) {
  size_t k = 0, n = strlen(key);
  p++;
  while (p < end && *p != '"') {
    uint8_t bytes[4];
    size_t len = decode_char(&p, bytes);
    if (k + len > n || memcmp(key + k, bytes, len) != 0) return 0;
    k += len;
  }
  return k == n;
}

fp_json_value fp_json_get(const fp_json_value *object, const char *key) {
  fp_json_value found;
  const char *p = object->begin + 1, *end = object->end;
  found.type = FP_JSON_MISSING;
  found.begin = found.end = NULL;
  if (object->type != FP_JSON_OBJECT) return found;
  for (;;) {
    const char *name;
    fp_json_value v;
    p = fp_lex_skip_ws(p, end);
    if (*p == '}') return found;
    if (*p == ',') p = fp_lex_skip_ws(p + 1, end);
    name = p;
    p = fp_lex_skip_ws(fp_lex_scan_string(p, end), end) + 1; /* past ':' */
    p = fp_lex_skip_ws(p, end);
    v = fp_lex_value_at(p, end);
    if (key_equals(name, end, key)) found = v;
    p = v.end;
  }
}

int fp_json_next_item(const fp_json_value *array, fp_json_value *item) {
  const char *p = item->type == FP_JSON_MISSING ? array->begin + 1 : item->end;
  p = fp_lex_skip_ws(p, array->end);
  if (*p == ',') p = fp_lex_skip_ws(p + 1, array->end);
  if (*p == ']') return 0;
  *item = fp_lex_value_at(p, array->end);
  return 1;
}

double fp_json_number(const fp_json_value *value) {
  char *stop = NULL;
  /* Inside a checked object a number is always followed by a delimiter that ends strtod's
   * scan, so no copy is needed; the grammar check already refused what strtod would take
   * beyond JSON (hex, inf, nan). */
  double d = strtod(value->begin, &stop);
  return stop == value->end ? d : 0.0;
}
