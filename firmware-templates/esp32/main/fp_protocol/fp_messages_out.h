/*
 * Writers of the JSON messages a device sends (ota/request, ota/progress, ota/result,
 * status, telemetry). Each checks its input against the protocol first and refuses with
 * INVALID_MESSAGE what libs/protocol's parser would refuse, so nothing invalid leaves.
 */
#ifndef FP_MESSAGES_OUT_H_
#define FP_MESSAGES_OUT_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_limits.h"
#include "fp_status.h"

fp_status fp_write_request(char *buf, size_t cap, uint32_t session, uint32_t offset, uint32_t length, size_t *len);

typedef enum fp_phase { FP_PHASE_DOWNLOADING = 0, FP_PHASE_VERIFYING, FP_PHASE_WRITING, FP_PHASE_ACTIVATING } fp_phase;
extern const char *const fp_phase_names[];

fp_status fp_write_progress(char *buf, size_t cap, uint32_t session, fp_phase phase, uint32_t received,
                            uint32_t total, size_t *len);

typedef enum fp_outcome { FP_OUTCOME_ACTIVATED = 0, FP_OUTCOME_REFUSED, FP_OUTCOME_FAILED, FP_OUTCOME_ROLLED_BACK } fp_outcome;
extern const char *const fp_outcome_names[];

/* ota/result reasons; FP_REASON_NONE exactly for "activated". */
typedef enum fp_reason {
  FP_REASON_NONE = 0,
  FP_REASON_TOO_LARGE,
  FP_REASON_ARENA_TOO_SMALL,
  FP_REASON_UNSUPPORTED_OPS,
  FP_REASON_UNSUPPORTED_ALGORITHM,
  FP_REASON_SIZE_MISMATCH,
  FP_REASON_HASH_MISMATCH,
  FP_REASON_SIGNATURE_INVALID,
  FP_REASON_MODEL_INVALID,
  FP_REASON_WRITE_FAILED,
  FP_REASON_ACTIVATION_FAILED,
  FP_REASON_TIMEOUT,
  FP_REASON_CANCELLED,
  FP_REASON_BUSY
} fp_reason;
extern const char *const fp_reason_names[]; /* index fp_reason; [0] is "" */

typedef struct fp_result_msg {
  uint32_t session;
  const char *deployment_id;
  const char *artifact_id;
  fp_outcome outcome;
  fp_reason reason;
  const char *detail;             /* optional (NULL) */
  const char *active_artifact_id; /* optional */
  const char *active_model_version;
} fp_result_msg;

fp_status fp_write_result(char *buf, size_t cap, const fp_result_msg *m, size_t *len);

typedef struct fp_status_msg {
  int online;
  int has_ts;
  uint64_t ts;
  const char *profile; /* optional fields: NULL when absent */
  const char *firmware;
  const char *active_artifact_id;
  const char *active_model_version;
  uint32_t ota_session; /* 0 = absent */
  int has_free_heap;
  uint32_t free_heap_bytes;
  int has_uptime;
  uint32_t uptime_s;
} fp_status_msg;

fp_status fp_write_status(char *buf, size_t cap, const fp_status_msg *m, size_t *len);

typedef struct fp_telemetry_msg {
  uint32_t seq;
  const char *artifact_id;
  const char *model_version;
  uint64_t window_start;
  uint64_t window_end;
  uint32_t samples;
  uint32_t labelled;
  uint32_t correct;
  uint32_t confidence_histogram[FP_CONFIDENCE_BINS];
  double latency_mean_ms;
  double latency_p95_ms;
  uint32_t arena_used_bytes;
} fp_telemetry_msg;

fp_status fp_write_telemetry(char *buf, size_t cap, const fp_telemetry_msg *m, size_t *len);

#endif /* FP_MESSAGES_OUT_H_ */
