/* The device's SHA-256 backend: mbedTLS, which ESP-IDF routes to the SHA accelerator. */
#include "fp_sha256.h"
#include "mbedtls/sha256.h"

typedef char context_fits[sizeof(mbedtls_sha256_context) <= FP_SHA256_CONTEXT_BYTES ? 1 : -1];

void fp_sha256_init(fp_sha256_ctx *ctx) {
  mbedtls_sha256_context *c = (mbedtls_sha256_context *)ctx->bytes;
  mbedtls_sha256_init(c);
  mbedtls_sha256_starts(c, 0); /* 0: SHA-256, not SHA-224 (mbedTLS 3.x API, ESP-IDF v5) */
}

void fp_sha256_update(fp_sha256_ctx *ctx, const uint8_t *data, size_t len) {
  mbedtls_sha256_update((mbedtls_sha256_context *)ctx->bytes, data, len);
}

void fp_sha256_final(fp_sha256_ctx *ctx, uint8_t digest[32]) {
  mbedtls_sha256_context *c = (mbedtls_sha256_context *)ctx->bytes;
  mbedtls_sha256_finish(c, digest);
  mbedtls_sha256_free(c);
}
