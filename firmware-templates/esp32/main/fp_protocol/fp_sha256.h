/*
 * SHA-256 interface of the core. Two backends: fp_sha256_soft.c (portable, host tests and
 * any target) and ../fp_sha256_mbedtls.c (ESP32, hardware-accelerated through mbedTLS).
 * Exactly one is linked.
 */
#ifndef FP_SHA256_H_
#define FP_SHA256_H_

#include <stddef.h>
#include <stdint.h>

/* Opaque, sized to hold either backend's state (the mbedTLS backend checks it fits). */
#define FP_SHA256_CONTEXT_BYTES 256
typedef union fp_sha256_ctx {
  uint64_t align;
  unsigned char bytes[FP_SHA256_CONTEXT_BYTES];
} fp_sha256_ctx;

void fp_sha256_init(fp_sha256_ctx *ctx);
void fp_sha256_update(fp_sha256_ctx *ctx, const uint8_t *data, size_t len);
void fp_sha256_final(fp_sha256_ctx *ctx, uint8_t digest[32]);

/* Writes the 64 lowercase hex characters of `digest` and a NUL to `hex`. */
void fp_sha256_hex(const uint8_t digest[32], char hex[65]);

#endif /* FP_SHA256_H_ */
