#include "fp_status.h"

const char *fp_status_name(fp_status status) {
  switch (status) {
    case FP_OK: return "OK";
    case FP_ERR_INVALID_MESSAGE: return "INVALID_MESSAGE";
    case FP_ERR_TOO_LARGE: return "TOO_LARGE";
    case FP_ERR_UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
    case FP_ERR_CORRUPT_CHUNK: return "CORRUPT_CHUNK";
    case FP_ERR_INTEGRITY_FAILED: return "INTEGRITY_FAILED";
    case FP_ERR_BUFFER: return "BUFFER";
    case FP_ERR_IO: return "IO";
  }
  return "UNKNOWN";
}
