/*
 * Runner mode write: each line names a writer and its arguments (numbers in decimal,
 * strings hex-encoded, "-" for an absent optional), and gets "ok <json>" or "err CODE".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_messages_out.h"
#include "host_io.h"
#include "runner.h"

static unsigned long long num(const char *s) { return strtoull(s, NULL, 10); }
static int present(const char *s) { return strcmp(s, "-") != 0; }

static fp_status write_one(char **w, size_t k, char *buf, size_t cap, size_t *len) {
  if (strcmp(w[0], "request") == 0 && k == 4)
    return fp_write_request(buf, cap, (uint32_t)num(w[1]), (uint32_t)num(w[2]), (uint32_t)num(w[3]), len);
  if (strcmp(w[0], "progress") == 0 && k == 5)
    return fp_write_progress(buf, cap, (uint32_t)num(w[1]), (fp_phase)num(w[2]), (uint32_t)num(w[3]),
                             (uint32_t)num(w[4]), len);
  if (strcmp(w[0], "result") == 0 && k == 9) {
    fp_result_msg m;
    m.session = (uint32_t)num(w[1]);
    m.deployment_id = host_text(w[2]);
    m.artifact_id = host_text(w[3]);
    m.outcome = (fp_outcome)num(w[4]);
    m.reason = (fp_reason)num(w[5]);
    m.detail = host_text(w[6]);
    m.active_artifact_id = host_text(w[7]);
    m.active_model_version = host_text(w[8]);
    return fp_write_result(buf, cap, &m, len);
  }
  if (strcmp(w[0], "status") == 0 && k == 10) {
    fp_status_msg m;
    m.online = (int)num(w[1]);
    m.has_ts = present(w[2]);
    m.ts = m.has_ts ? num(w[2]) : 0;
    m.profile = host_text(w[3]);
    m.firmware = host_text(w[4]);
    m.active_artifact_id = host_text(w[5]);
    m.active_model_version = host_text(w[6]);
    m.ota_session = present(w[7]) ? (uint32_t)num(w[7]) : 0;
    m.has_free_heap = present(w[8]);
    m.free_heap_bytes = m.has_free_heap ? (uint32_t)num(w[8]) : 0;
    m.has_uptime = present(w[9]);
    m.uptime_s = m.has_uptime ? (uint32_t)num(w[9]) : 0;
    return fp_write_status(buf, cap, &m, len);
  }
  if (strcmp(w[0], "telemetry") == 0 && k == 22) {
    fp_telemetry_msg m;
    int i;
    m.seq = (uint32_t)num(w[1]);
    m.artifact_id = host_text(w[2]);
    m.model_version = host_text(w[3]);
    m.window_start = num(w[4]);
    m.window_end = num(w[5]);
    m.samples = (uint32_t)num(w[6]);
    m.labelled = (uint32_t)num(w[7]);
    m.correct = (uint32_t)num(w[8]);
    for (i = 0; i < FP_CONFIDENCE_BINS; i++) m.confidence_histogram[i] = (uint32_t)num(w[9 + i]);
    m.latency_mean_ms = strtod(w[19], NULL);
    m.latency_p95_ms = strtod(w[20], NULL);
    m.arena_used_bytes = (uint32_t)num(w[21]);
    return fp_write_telemetry(buf, cap, &m, len);
  }
  host_die("unknown writer or wrong argument count");
  return FP_ERR_INVALID_MESSAGE;
}

void run_write(char **lines, size_t n) {
  static char buf[FP_MAX_JSON_PAYLOAD + 1];
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[24];
    size_t k = host_words(lines[i], w, 24), len = 0;
    fp_status st;
    if (k == 0) continue;
    st = write_one(w, k, buf, sizeof buf, &len);
    if (st == FP_OK) printf("ok %s\n", buf);
    else printf("err %s\n", fp_status_name(st));
  }
}
