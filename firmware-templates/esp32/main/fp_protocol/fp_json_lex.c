/* Tokens of JSON text: UTF-8 sequences, whitespace, strings, numbers, literals, whole values. */
#include "fp_json_lex.h"

#include <string.h>

size_t fp_lex_utf8_sequence(const uint8_t *p, const uint8_t *end) {
  uint8_t b = p[0], lo = 0x80, hi = 0xBF;
  size_t n, i;
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F; /* UTF-16 surrogates are not characters */
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else
    return 0;
  if ((size_t)(end - p) < n) return 0;
  for (i = 1; i < n; i++) {
    if (p[i] < lo || p[i] > hi) return 0;
    lo = 0x80, hi = 0xBF;
  }
  return n;
}

int fp_lex_is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
int fp_lex_is_digit(char c) { return c >= '0' && c <= '9'; }
int fp_lex_is_hex(char c) { return fp_lex_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

const char *fp_lex_skip_ws(const char *p, const char *end) {
  while (p < end && fp_lex_is_ws(*p)) p++;
  return p;
}

/* A string token starting at the quote; returns the position after it, NULL if invalid. */
const char *fp_lex_scan_string(const char *p, const char *end) {
  p++;
  while (p < end) {
    unsigned char c = (unsigned char)*p;
    if (c == '"') return p + 1;
    if (c < 0x20) return NULL;
    if (c == '\\') {
      if (++p >= end) return NULL;
      if (*p == 'u') {
        int i;
        for (i = 1; i <= 4; i++)
          if (p + i >= end || !fp_lex_is_hex(p[i])) return NULL;
        p += 4;
      } else if (!strchr("\"\\/bfnrt", *p) || *p == '\0')
        return NULL;
    }
    p++;
  }
  return NULL;
}

const char *fp_lex_scan_number(const char *p, const char *end) {
  if (p < end && *p == '-') p++;
  if (p >= end || !fp_lex_is_digit(*p)) return NULL;
  if (*p == '0') p++;
  else
    while (p < end && fp_lex_is_digit(*p)) p++;
  if (p < end && *p == '.') {
    if (++p >= end || !fp_lex_is_digit(*p)) return NULL;
    while (p < end && fp_lex_is_digit(*p)) p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (p >= end || !fp_lex_is_digit(*p)) return NULL;
    while (p < end && fp_lex_is_digit(*p)) p++;
  }
  return p;
}

const char *fp_lex_scan_literal(const char *p, const char *end, const char *word) {
  size_t n = strlen(word);
  return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* End of the (already checked) value starting at p. */
const char *fp_lex_skip_value(const char *p, const char *end) {
  size_t depth = 0;
  do {
    if (*p == '"') p = fp_lex_scan_string(p, end);
    else if (*p == '{' || *p == '[') depth++, p++;
    else if (*p == '}' || *p == ']') depth--, p++;
    else if (*p == '-' || fp_lex_is_digit(*p)) p = fp_lex_scan_number(p, end);
    else if (*p == 't' || *p == 'n') p += 4;
    else if (*p == 'f') p += 5;
    else p++; /* ',' ':' and whitespace inside containers */
    if (depth > 0) p = fp_lex_skip_ws(p, end);
  } while (depth > 0);
  return p;
}

fp_json_value fp_lex_value_at(const char *p, const char *end) {
  fp_json_value v;
  v.begin = p;
  v.end = fp_lex_skip_value(p, end);
  switch (*p) {
    case '{': v.type = FP_JSON_OBJECT; break;
    case '[': v.type = FP_JSON_ARRAY; break;
    case '"': v.type = FP_JSON_STRING; break;
    case 't': v.type = FP_JSON_TRUE; break;
    case 'f': v.type = FP_JSON_FALSE; break;
    case 'n': v.type = FP_JSON_NULL; break;
    default: v.type = FP_JSON_NUMBER; break;
  }
  return v;
}

