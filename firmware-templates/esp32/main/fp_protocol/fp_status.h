/* Error codes of the protocol core; the same names as ProtocolErrorCode in libs/protocol. */
#ifndef FP_STATUS_H_
#define FP_STATUS_H_

typedef enum fp_status {
  FP_OK = 0,
  FP_ERR_INVALID_MESSAGE,     /* wrong JSON, missing field, wrong type, out of range */
  FP_ERR_TOO_LARGE,           /* a payload, chunk or model above its documented limit */
  FP_ERR_UNSUPPORTED_VERSION, /* a "v" or frame version this code does not speak */
  FP_ERR_CORRUPT_CHUNK,       /* CRC-32 mismatch */
  FP_ERR_INTEGRITY_FAILED,    /* assembled artifact incomplete or with the wrong SHA-256 */
  FP_ERR_BUFFER,              /* an output buffer too small for what the caller asked to write */
  FP_ERR_IO                   /* the slot storage reported a failure */
} fp_status;

/* The code's name as libs/protocol spells it, e.g. "INVALID_MESSAGE". */
const char *fp_status_name(fp_status status);

#endif /* FP_STATUS_H_ */
