/*
 * Windowed inference counters for the telemetry message: samples, labelled/correct, the
 * top-1 confidence histogram (confidenceBin of libs/protocol) and latency mean and p95.
 * p95 comes from a fixed reservoir of FP_LATENCY_RESERVOIR latencies (exact up to that many
 * samples per window, a uniform-sample estimate beyond), so RAM use is bounded.
 */
#ifndef FP_TELEMETRY_WINDOW_H_
#define FP_TELEMETRY_WINDOW_H_

#include <stdint.h>

#include "fp_messages_out.h"

#ifndef FP_LATENCY_RESERVOIR
#define FP_LATENCY_RESERVOIR 256
#endif

typedef struct fp_telemetry_window {
  uint64_t window_start;
  uint32_t samples, labelled, correct;
  uint32_t histogram[FP_CONFIDENCE_BINS];
  double latency_sum_ms;
  float reservoir[FP_LATENCY_RESERVOIR];
  uint32_t rng;
  uint32_t seq;
} fp_telemetry_window;

/* The histogram bin of a top-1 confidence in [0, 1] (1 in the last bin, NaN in the first). */
int fp_confidence_bin(double confidence);

void fp_telemetry_start(fp_telemetry_window *w, uint64_t now_ms, uint32_t first_seq);
/* One inference; label_known 0 means `correct` is ignored. */
void fp_telemetry_record(fp_telemetry_window *w, double latency_ms, double confidence, int label_known, int correct);
/*
 * Fills *msg for the window [window_start, now_ms] and opens the next window (seq + 1).
 * Windows longer than a day are clipped at the start, as the protocol allows at most one day.
 */
void fp_telemetry_close(fp_telemetry_window *w, uint64_t now_ms, const char *artifact_id, const char *model_version,
                        uint32_t arena_used_bytes, fp_telemetry_msg *msg);

#endif /* FP_TELEMETRY_WINDOW_H_ */
