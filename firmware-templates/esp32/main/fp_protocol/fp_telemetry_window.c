#include "fp_telemetry_window.h"

#include <stdlib.h>
#include <string.h>

int fp_confidence_bin(double c) {
  int bin;
  if (!(c > 0)) return 0;
  bin = c >= 1 ? FP_CONFIDENCE_BINS - 1 : (int)(c * FP_CONFIDENCE_BINS);
  return bin > FP_CONFIDENCE_BINS - 1 ? FP_CONFIDENCE_BINS - 1 : bin;
}

void fp_telemetry_start(fp_telemetry_window *w, uint64_t now_ms, uint32_t first_seq) {
  uint32_t seq = first_seq;
  memset(w, 0, sizeof *w);
  w->window_start = now_ms;
  w->seq = seq;
  w->rng = 0x9E3779B9u ^ seq;
}

static uint32_t next_random(fp_telemetry_window *w) {
  w->rng = w->rng * 1664525u + 1013904223u;
  return w->rng >> 8;
}

void fp_telemetry_record(fp_telemetry_window *w, double latency_ms, double confidence, int label_known, int correct) {
  if (w->samples >= FP_MAX_WINDOW_SAMPLES) return; /* the message cannot count more; drop */
  if (!(latency_ms >= 0)) latency_ms = 0;
  if (latency_ms > FP_MAX_LATENCY_MS) latency_ms = FP_MAX_LATENCY_MS;
  if (w->samples < FP_LATENCY_RESERVOIR)
    w->reservoir[w->samples] = (float)latency_ms;
  else {
    uint32_t slot = next_random(w) % (w->samples + 1); /* reservoir sampling, algorithm R */
    if (slot < FP_LATENCY_RESERVOIR) w->reservoir[slot] = (float)latency_ms;
  }
  w->samples++;
  w->latency_sum_ms += latency_ms;
  w->histogram[fp_confidence_bin(confidence)]++;
  if (label_known) {
    w->labelled++;
    w->correct += correct != 0;
  }
}

static int by_value(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

void fp_telemetry_close(fp_telemetry_window *w, uint64_t now_ms, const char *artifact_id, const char *model_version,
                        uint32_t arena_used_bytes, fp_telemetry_msg *msg) {
  uint32_t kept = w->samples < FP_LATENCY_RESERVOIR ? w->samples : FP_LATENCY_RESERVOIR;
  uint32_t next_seq = w->seq + 1;
  if (now_ms < w->window_start) now_ms = w->window_start; /* clock stepped back */
  memset(msg, 0, sizeof *msg);
  msg->seq = w->seq;
  msg->artifact_id = artifact_id;
  msg->model_version = model_version;
  msg->window_end = now_ms;
  msg->window_start = now_ms - w->window_start > (uint64_t)FP_MAX_WINDOW_MS ? now_ms - (uint64_t)FP_MAX_WINDOW_MS
                                                                             : w->window_start;
  msg->samples = w->samples;
  msg->labelled = w->labelled;
  msg->correct = w->correct;
  memcpy(msg->confidence_histogram, w->histogram, sizeof w->histogram);
  msg->latency_mean_ms = w->samples ? w->latency_sum_ms / w->samples : 0;
  if (kept > 0) {
    /* Nearest-rank p95 over the kept latencies. */
    uint32_t rank = (uint32_t)((95u * kept + 99u) / 100u);
    qsort(w->reservoir, kept, sizeof w->reservoir[0], by_value);
    msg->latency_p95_ms = w->reservoir[rank - 1];
  }
  msg->arena_used_bytes = arena_used_bytes;
  fp_telemetry_start(w, now_ms, next_seq);
}
