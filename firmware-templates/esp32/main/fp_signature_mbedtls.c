#include <string.h>

#include "fp_base64.h"
#include "fp_limits.h"
#include "fp_signature.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"

int fp_signature_verify(const uint8_t public_point[65], const uint8_t digest[32], const char *signature_b64) {
  uint8_t raw[FP_SIGNATURE_BYTES + 3];
  mbedtls_ecp_group grp;
  mbedtls_ecp_point q;
  mbedtls_mpi r, s;
  int ok = 0;
  /* Exactly 64 decoded bytes; the padded-base64 rule itself was checked by the offer parser. */
  if (fp_base64_decode(signature_b64, strlen(signature_b64), raw, sizeof raw) != FP_SIGNATURE_BYTES) return 0;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&q);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  /* r and s as two 32-byte big-endian integers: no DER parser needed (mbedtls_pk_verify wants DER). */
  if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
      mbedtls_ecp_point_read_binary(&grp, &q, public_point, 65) == 0 && mbedtls_ecp_check_pubkey(&grp, &q) == 0 &&
      mbedtls_mpi_read_binary(&r, raw, 32) == 0 && mbedtls_mpi_read_binary(&s, raw + 32, 32) == 0)
    ok = mbedtls_ecdsa_verify(&grp, digest, 32, &q, &r, &s) == 0;
  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_ecp_point_free(&q);
  mbedtls_ecp_group_free(&grp);
  return ok;
}
