/*
 * Artifact signature check, algorithm ecdsa-p256-sha256 (docs/protocol.md "Signatures and
 * keys"): ECDSA on P-256 over the SHA-256 the download already computed, signature as the
 * 64-byte r||s, key as the 65-byte uncompressed point 04||X||Y. Backed by mbedTLS (ESP32's
 * hardware ECC where present); no ESP-IDF headers, so the host tests run it too.
 */
#ifndef FP_SIGNATURE_H_
#define FP_SIGNATURE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when `signature_b64` (base64 of r||s) signs `digest` under `public_point`, else 0. */
int fp_signature_verify(const uint8_t public_point[65], const uint8_t digest[32], const char *signature_b64);

#ifdef __cplusplus
}
#endif

#endif /* FP_SIGNATURE_H_ */
