#include "fp_rules.h"

size_t fp_rule_max(fp_string_rule rule) {
  switch (rule) {
    case FP_RULE_OP: return 40;
    case FP_RULE_SIGNATURE:
    case FP_RULE_TEXT: return 256;
    default: return 64;
  }
}

static int alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int b64char(char c) { return alnum(c) || c == '+' || c == '/'; }

/* RFC 4648 section 4 with padding, as BASE64_PATTERN: full quads, optional padded tail. */
static int padded_base64(const char *s, size_t len) {
  size_t i;
  if (len % 4 != 0) return 0;
  for (i = 0; i < len; i++) {
    if (b64char(s[i])) continue;
    if (s[i] != '=') return 0;
    /* '=' only as the last one or two characters, and never a whole quad of padding. */
    if (i == len - 1) continue;
    if (i == len - 2 && s[len - 1] == '=') continue;
    return 0;
  }
  return 1;
}

/* Strict UTF-8 without C0 controls (the writers' TEXT rule; JSON.parse would take it back). */
static int text_ok(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    unsigned char b = s[i];
    size_t n, k;
    unsigned lo = 0x80, hi = 0xBF;
    if (b < 0x20) return 0;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b >= 0xE0 && b <= 0xEF) n = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    else if (b >= 0xF0 && b <= 0xF4) n = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (len - i < n) return 0;
    for (k = 1; k < n; k++) {
      if (s[i + k] < lo || s[i + k] > hi) return 0;
      lo = 0x80, hi = 0xBF;
    }
    i += n;
  }
  return 1;
}

int fp_rule_ok(fp_string_rule rule, const char *s, size_t len) {
  size_t i;
  size_t min = rule == FP_RULE_SHA256 ? 64 : 1;
  if (len < min || len > fp_rule_max(rule)) return 0;
  switch (rule) {
    case FP_RULE_ID:
      if (!alnum(s[0])) return 0;
      for (i = 1; i < len; i++)
        if (!alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != ':' && s[i] != '-') return 0;
      return 1;
    case FP_RULE_VERSION:
    case FP_RULE_NAME:
      for (i = 0; i < len; i++)
        if (s[i] < (rule == FP_RULE_VERSION ? 0x21 : 0x20) || s[i] > 0x7e) return 0;
      return 1;
    case FP_RULE_SHA256:
      for (i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
      return 1;
    case FP_RULE_SIGNATURE: return padded_base64(s, len);
    case FP_RULE_OP:
      if (!(s[0] >= 'A' && s[0] <= 'Z')) return 0;
      for (i = 1; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) return 0;
      return 1;
    case FP_RULE_TEXT: return text_ok((const unsigned char *)s, len);
  }
  return 0;
}
