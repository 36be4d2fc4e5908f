#include "fp_base64.h"

#include "fp_rules.h"

static int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

long fp_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap) {
  size_t i, n = 0;
  if (len == 0 || len % 4 != 0 || !fp_rule_ok(FP_RULE_SIGNATURE, text, len > 256 ? 0 : len)) return -1;
  for (i = 0; i < len; i += 4) {
    int a = sextet(text[i]), b = sextet(text[i + 1]), c = sextet(text[i + 2]), d = sextet(text[i + 3]);
    uint32_t group = ((uint32_t)a << 18) | ((uint32_t)b << 12) | ((uint32_t)(c < 0 ? 0 : c) << 6) | (uint32_t)(d < 0 ? 0 : d);
    size_t bytes = c < 0 ? 1 : d < 0 ? 2 : 3;
    if (n + bytes > cap) return -1;
    out[n++] = (uint8_t)(group >> 16);
    if (bytes > 1) out[n++] = (uint8_t)(group >> 8);
    if (bytes > 2) out[n++] = (uint8_t)group;
  }
  return (long)n;
}
