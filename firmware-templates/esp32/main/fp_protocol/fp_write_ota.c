/* Writers of ota/request, ota/progress and ota/result. */
#include <string.h>

#include "fp_json_writer.h"
#include "fp_messages_out.h"
#include "fp_rules.h"

const char *const fp_phase_names[] = {"downloading", "verifying", "writing", "activating", NULL};
const char *const fp_outcome_names[] = {"activated", "refused", "failed", "rolled_back", NULL};
const char *const fp_reason_names[] = {"",
                                       "TOO_LARGE",
                                       "ARENA_TOO_SMALL",
                                       "UNSUPPORTED_OPS",
                                       "UNSUPPORTED_ALGORITHM",
                                       "SIZE_MISMATCH",
                                       "HASH_MISMATCH",
                                       "SIGNATURE_INVALID",
                                       "MODEL_INVALID",
                                       "WRITE_FAILED",
                                       "ACTIVATION_FAILED",
                                       "TIMEOUT",
                                       "CANCELLED",
                                       "BUSY",
                                       NULL};

static int ok(fp_string_rule rule, const char *s) { return s != NULL && fp_rule_ok(rule, s, strlen(s)); }
static int absent_or_ok(fp_string_rule rule, const char *s) { return s == NULL || ok(rule, s); }

fp_status fp_write_request(char *buf, size_t cap, uint32_t session, uint32_t offset, uint32_t length, size_t *len) {
  fp_json_out o;
  if (session == 0 || length < 1 || length > FP_MAX_CHUNK_SIZE) return FP_ERR_INVALID_MESSAGE;
  fp_out_begin(&o, buf, cap);
  fp_out_uint(&o, "session", session);
  fp_out_uint(&o, "offset", offset);
  fp_out_uint(&o, "length", length);
  return fp_out_end(&o, len);
}

fp_status fp_write_progress(char *buf, size_t cap, uint32_t session, fp_phase phase, uint32_t received,
                            uint32_t total, size_t *len) {
  fp_json_out o;
  if (session == 0 || (unsigned)phase > FP_PHASE_ACTIVATING || total < 1 || total > FP_MAX_MODEL_SIZE ||
      received > total)
    return FP_ERR_INVALID_MESSAGE;
  fp_out_begin(&o, buf, cap);
  fp_out_uint(&o, "session", session);
  fp_out_string(&o, "phase", fp_phase_names[phase]);
  fp_out_uint(&o, "received", received);
  fp_out_uint(&o, "total", total);
  return fp_out_end(&o, len);
}

fp_status fp_write_result(char *buf, size_t cap, const fp_result_msg *m, size_t *len) {
  fp_json_out o;
  if (m->session == 0 || !ok(FP_RULE_ID, m->deployment_id) || !ok(FP_RULE_ID, m->artifact_id) ||
      (unsigned)m->outcome > FP_OUTCOME_ROLLED_BACK || (unsigned)m->reason > FP_REASON_BUSY ||
      (m->outcome == FP_OUTCOME_ACTIVATED) != (m->reason == FP_REASON_NONE) ||
      !absent_or_ok(FP_RULE_TEXT, m->detail) || !absent_or_ok(FP_RULE_ID, m->active_artifact_id) ||
      !absent_or_ok(FP_RULE_VERSION, m->active_model_version))
    return FP_ERR_INVALID_MESSAGE;
  fp_out_begin(&o, buf, cap);
  fp_out_uint(&o, "session", m->session);
  fp_out_string(&o, "deploymentId", m->deployment_id);
  fp_out_string(&o, "artifactId", m->artifact_id);
  fp_out_string(&o, "outcome", fp_outcome_names[m->outcome]);
  if (m->reason != FP_REASON_NONE) fp_out_string(&o, "reason", fp_reason_names[m->reason]);
  if (m->detail) fp_out_string(&o, "detail", m->detail);
  if (m->active_artifact_id) fp_out_string(&o, "activeArtifactId", m->active_artifact_id);
  if (m->active_model_version) fp_out_string(&o, "activeModelVersion", m->active_model_version);
  return fp_out_end(&o, len);
}
