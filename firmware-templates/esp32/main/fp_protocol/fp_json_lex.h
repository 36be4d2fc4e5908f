/*
 * Lexical pieces shared by the JSON checker (fp_json_parse.c) and reader (fp_json.c);
 * internal to the core. Scanners return the position after the token, NULL if invalid.
 */
#ifndef FP_JSON_LEX_H_
#define FP_JSON_LEX_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_json.h"

/* Length of the valid UTF-8 sequence at p (WHATWG decoder rules), 0 if invalid. */
size_t fp_lex_utf8_sequence(const uint8_t *p, const uint8_t *end);
int fp_lex_is_ws(char c);
int fp_lex_is_digit(char c);
int fp_lex_is_hex(char c);
const char *fp_lex_skip_ws(const char *p, const char *end);
const char *fp_lex_scan_string(const char *p, const char *end);
const char *fp_lex_scan_number(const char *p, const char *end);
const char *fp_lex_scan_literal(const char *p, const char *end, const char *word);
/* End of the (already checked) value starting at p, and that value with its type. */
const char *fp_lex_skip_value(const char *p, const char *end);
fp_json_value fp_lex_value_at(const char *p, const char *end);

#endif /* FP_JSON_LEX_H_ */
