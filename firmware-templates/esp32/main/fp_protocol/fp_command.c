#include "fp_command.h"

#include <string.h>

const char *const fp_command_types[] = {"report-status", "cancel-ota", "rollback", "set-telemetry",
                                        "upload-samples", NULL};

fp_status fp_command_parse(const uint8_t *payload, size_t len, fp_command *c, fp_parse_error *error) {
  fp_fields f;
  int type = 0;
  memset(c, 0, sizeof *c);
  if (!fp_fields_open(&f, payload, len, FP_MAX_JSON_PAYLOAD, error)) return error->code;
  fp_fields_string(&f, "id", FP_RULE_ID, c->id, sizeof c->id);
  if (!fp_fields_one_of(&f, "type", fp_command_types, &type)) return error->code;
  c->type = (fp_command_type)type;
  switch (c->type) {
    case FP_CMD_CANCEL_OTA: fp_fields_u32(&f, "session", 1, FP_U32_MAX, &c->session); break;
    case FP_CMD_SET_TELEMETRY: fp_fields_u32(&f, "intervalS", 1, 86400, &c->interval_s); break;
    case FP_CMD_UPLOAD_SAMPLES:
      fp_fields_u32(&f, "max", 1, 16, &c->max);
      fp_fields_boolean(&f, "misclassifiedOnly", &c->misclassified_only);
      break;
    case FP_CMD_REPORT_STATUS:
    case FP_CMD_ROLLBACK: break;
  }
  return error->code;
}
