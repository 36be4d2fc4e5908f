/*
 * String rules of protocol v1 (libs/protocol/src/messages/field-rules.ts): byte-length
 * bounds and the allowed characters. Readers refuse what breaks them; writers never emit it.
 */
#ifndef FP_RULES_H_
#define FP_RULES_H_

#include <stddef.h>

typedef enum fp_string_rule {
  FP_RULE_ID,        /* 1-64, [A-Za-z0-9][A-Za-z0-9._:-]* */
  FP_RULE_VERSION,   /* 1-64, printable ASCII without space */
  FP_RULE_NAME,      /* 1-64, printable ASCII */
  FP_RULE_SHA256,    /* exactly 64 lowercase hex */
  FP_RULE_SIGNATURE, /* 1-256, padded base64 */
  FP_RULE_OP,        /* 1-40, [A-Z][A-Z0-9_]* */
  FP_RULE_TEXT       /* 1-256 bytes of UTF-8 without control characters (U+0000-U+001F) */
} fp_string_rule;

/* Largest byte length a rule allows (size buffers as this + 1). */
size_t fp_rule_max(fp_string_rule rule);

/* Whether `text` (`len` bytes) satisfies `rule`. */
int fp_rule_ok(fp_string_rule rule, const char *text, size_t len);

#endif /* FP_RULES_H_ */
