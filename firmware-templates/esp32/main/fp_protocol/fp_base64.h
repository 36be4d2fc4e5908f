/* Decoder of padded base64 (RFC 4648 section 4), for the offer's signature. */
#ifndef FP_BASE64_H_
#define FP_BASE64_H_

#include <stddef.h>
#include <stdint.h>

/* Decodes `text`; returns the byte count, or -1 if it is not padded base64 or exceeds cap. */
long fp_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap);

#endif /* FP_BASE64_H_ */
