/* Writers of status and telemetry. */
#include <string.h>

#include "fp_json_writer.h"
#include "fp_messages_out.h"
#include "fp_rules.h"

static int absent_or_ok(fp_string_rule rule, const char *s) { return s == NULL || fp_rule_ok(rule, s, strlen(s)); }
static int present_ok(fp_string_rule rule, const char *s) { return s != NULL && fp_rule_ok(rule, s, strlen(s)); }

fp_status fp_write_status(char *buf, size_t cap, const fp_status_msg *m, size_t *len) {
  fp_json_out o;
  if ((m->has_ts && (double)m->ts > FP_EPOCH_MS_MAX) || !absent_or_ok(FP_RULE_NAME, m->profile) ||
      !absent_or_ok(FP_RULE_NAME, m->firmware) || !absent_or_ok(FP_RULE_ID, m->active_artifact_id) ||
      !absent_or_ok(FP_RULE_VERSION, m->active_model_version))
    return FP_ERR_INVALID_MESSAGE;
  fp_out_begin(&o, buf, cap);
  fp_out_string(&o, "state", m->online ? "online" : "offline");
  if (m->has_ts) fp_out_uint(&o, "ts", m->ts);
  if (m->profile) fp_out_string(&o, "profile", m->profile);
  if (m->firmware) fp_out_string(&o, "firmware", m->firmware);
  if (m->active_artifact_id) fp_out_string(&o, "activeArtifactId", m->active_artifact_id);
  if (m->active_model_version) fp_out_string(&o, "activeModelVersion", m->active_model_version);
  if (m->ota_session) fp_out_uint(&o, "otaSession", m->ota_session);
  if (m->has_free_heap) fp_out_uint(&o, "freeHeapBytes", m->free_heap_bytes);
  if (m->has_uptime) fp_out_uint(&o, "uptimeS", m->uptime_s);
  return fp_out_end(&o, len);
}

static int latency_ok(double ms) { return ms >= 0 && ms <= FP_MAX_LATENCY_MS; /* false for NaN */ }

fp_status fp_write_telemetry(char *buf, size_t cap, const fp_telemetry_msg *m, size_t *len) {
  fp_json_out o;
  uint64_t binned = 0;
  int i;
  for (i = 0; i < FP_CONFIDENCE_BINS; i++) binned += m->confidence_histogram[i];
  if (!present_ok(FP_RULE_ID, m->artifact_id) || !present_ok(FP_RULE_VERSION, m->model_version) ||
      (double)m->window_end > FP_EPOCH_MS_MAX || m->window_end < m->window_start ||
      (double)(m->window_end - m->window_start) > FP_MAX_WINDOW_MS || m->samples > FP_MAX_WINDOW_SAMPLES ||
      m->labelled > m->samples || m->correct > m->labelled || binned != m->samples ||
      !latency_ok(m->latency_mean_ms) || !latency_ok(m->latency_p95_ms))
    return FP_ERR_INVALID_MESSAGE;
  fp_out_begin(&o, buf, cap);
  fp_out_uint(&o, "seq", m->seq);
  fp_out_string(&o, "artifactId", m->artifact_id);
  fp_out_string(&o, "modelVersion", m->model_version);
  fp_out_uint(&o, "windowStart", m->window_start);
  fp_out_uint(&o, "windowEnd", m->window_end);
  fp_out_uint(&o, "samples", m->samples);
  fp_out_uint(&o, "labelled", m->labelled);
  fp_out_uint(&o, "correct", m->correct);
  fp_out_uint_array(&o, "confidenceHistogram", m->confidence_histogram, FP_CONFIDENCE_BINS);
  fp_out_number(&o, "latencyMeanMs", m->latency_mean_ms);
  fp_out_number(&o, "latencyP95Ms", m->latency_p95_ms);
  fp_out_uint(&o, "arenaUsedBytes", m->arena_used_bytes);
  return fp_out_end(&o, len);
}
