/* Checks a whole JSON payload once (UTF-8, then grammar) so fp_json.c can walk it blindly. */
#include <string.h>

#include "fp_json.h"
#include "fp_json_lex.h"
#include "fp_limits.h"

/* Grammar check without recursion: one bit per open container (1 = object). */
static fp_status check_grammar(const char *p, const char *end) {
  uint8_t stack[FP_MAX_JSON_PAYLOAD / 16 + 1];
  size_t depth = 0;
  int expect_value = 1;
  p = fp_lex_skip_ws(p, end);
  for (;;) {
    if (expect_value) {
      if (p >= end) return FP_ERR_INVALID_MESSAGE;
      if (*p == '{' || *p == '[') {
        int object = *p == '{';
        if (depth >= sizeof stack * 8) return FP_ERR_INVALID_MESSAGE;
        if (object) stack[depth / 8] |= (uint8_t)(1u << (depth % 8));
        else stack[depth / 8] &= (uint8_t)~(1u << (depth % 8));
        depth++;
        p = fp_lex_skip_ws(p + 1, end);
        if (p < end && *p == (object ? '}' : ']')) {
          depth--, p++;
          expect_value = 0;
        } else if (object) {
          if (p >= end || *p != '"' || !(p = fp_lex_scan_string(p, end))) return FP_ERR_INVALID_MESSAGE;
          p = fp_lex_skip_ws(p, end);
          if (p >= end || *p != ':') return FP_ERR_INVALID_MESSAGE;
          p = fp_lex_skip_ws(p + 1, end);
        }
        continue;
      }
      if (*p == '"') p = fp_lex_scan_string(p, end);
      else if (*p == '-' || fp_lex_is_digit(*p)) p = fp_lex_scan_number(p, end);
      else if (*p == 't') p = fp_lex_scan_literal(p, end, "true");
      else if (*p == 'f') p = fp_lex_scan_literal(p, end, "false");
      else if (*p == 'n') p = fp_lex_scan_literal(p, end, "null");
      else return FP_ERR_INVALID_MESSAGE;
      if (p == NULL) return FP_ERR_INVALID_MESSAGE;
      expect_value = 0;
    }
    p = fp_lex_skip_ws(p, end);
    if (depth == 0) return p == end ? FP_OK : FP_ERR_INVALID_MESSAGE;
    if (p >= end) return FP_ERR_INVALID_MESSAGE;
    {
      int object = (stack[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
      if (*p == (object ? '}' : ']')) {
        depth--, p++;
        continue;
      }
      if (*p != ',') return FP_ERR_INVALID_MESSAGE;
      p = fp_lex_skip_ws(p + 1, end);
      if (object) {
        if (p >= end || *p != '"' || !(p = fp_lex_scan_string(p, end))) return FP_ERR_INVALID_MESSAGE;
        p = fp_lex_skip_ws(p, end);
        if (p >= end || *p != ':') return FP_ERR_INVALID_MESSAGE;
        p = fp_lex_skip_ws(p + 1, end);
      }
      expect_value = 1;
    }
  }
}

fp_status fp_json_parse(const uint8_t *payload, size_t len, fp_json_value *root) {
  const uint8_t *u = payload, *uend = payload + len;
  const char *p, *end = (const char *)uend;
  /* TextDecoder drops one leading byte-order mark before JSON.parse sees the text. */
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) u += 3;
  p = (const char *)u;
  while (u < uend) {
    size_t n = fp_lex_utf8_sequence(u, uend);
    if (n == 0) return FP_ERR_INVALID_MESSAGE;
    u += n;
  }
  if (check_grammar(p, end) != FP_OK) return FP_ERR_INVALID_MESSAGE;
  p = fp_lex_skip_ws(p, end);
  *root = fp_lex_value_at(p, end);
  return FP_OK;
}

