/* ota/offer (server -> device): parsed with every limit of docs/protocol.md enforced. */
#ifndef FP_OFFER_H_
#define FP_OFFER_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_fields.h"
#include "fp_limits.h"

typedef struct fp_offer {
  char deployment_id[FP_MAX_ID_BYTES + 1];
  uint32_t session;
  char artifact_id[FP_MAX_ID_BYTES + 1];
  char model_version[FP_MAX_VERSION_BYTES + 1];
  uint32_t size;
  char sha256[FP_SHA256_HEX + 1];
  char signature[FP_MAX_SIGNATURE_B64 + 1];
  int signature_alg; /* index in fp_signature_algorithms */
  uint32_t chunk_size;
  uint32_t arena_bytes;
  uint32_t op_count;
  char ops[FP_MAX_OPS][FP_MAX_OP_BYTES + 1];
} fp_offer;

/* NULL-terminated; v1 knows only "ecdsa-p256-sha256". */
extern const char *const fp_signature_algorithms[];

/* Parses an ota/offer payload; on failure *error names the code and field. A zero-length
 * payload is a withdrawal, not an offer: check fp_offer_is_withdrawal first. */
fp_status fp_offer_parse(const uint8_t *payload, size_t len, fp_offer *offer, fp_parse_error *error);

/* The zero-length retained publish that withdraws an offer. */
int fp_offer_is_withdrawal(size_t len);

#endif /* FP_OFFER_H_ */
