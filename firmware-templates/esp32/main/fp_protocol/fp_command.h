/* cmd (server -> device): one instruction, parsed with the limits of docs/protocol.md. */
#ifndef FP_COMMAND_H_
#define FP_COMMAND_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_fields.h"
#include "fp_limits.h"

typedef enum fp_command_type {
  FP_CMD_REPORT_STATUS = 0,
  FP_CMD_CANCEL_OTA,
  FP_CMD_ROLLBACK,
  FP_CMD_SET_TELEMETRY,
  FP_CMD_UPLOAD_SAMPLES
} fp_command_type;

/* NULL-terminated, in fp_command_type order, spelled as on the wire. */
extern const char *const fp_command_types[];

typedef struct fp_command {
  char id[FP_MAX_ID_BYTES + 1];
  fp_command_type type;
  uint32_t session;    /* cancel-ota */
  uint32_t interval_s; /* set-telemetry, 1-86400 */
  uint32_t max;        /* upload-samples, 1-16 */
  int misclassified_only;
} fp_command;

fp_status fp_command_parse(const uint8_t *payload, size_t len, fp_command *cmd, fp_parse_error *error);

#endif /* FP_COMMAND_H_ */
