#include "fp_ota.h"

#include <string.h>

#include "fp_limits.h"

/* Persist the resume prefix at most every 64 KB: NVS lives in flash, which wears. */
#define FP_PREFIX_SAVE_STEP 65536u

void fp_ota_init(fp_ota *o, const fp_ota_port *port, uint8_t *chunk_buf, size_t chunk_buf_len) {
  memset(o, 0, sizeof *o);
  o->port = *port;
  o->chunk_buf = chunk_buf;
  o->chunk_buf_len = chunk_buf_len;
}

uint32_t fp_ota_session(const fp_ota *o) { return o->busy ? o->offer.session : 0; }

static void publish_result(fp_ota *o, const fp_offer *offer, fp_outcome outcome, fp_reason reason, const char *detail) {
  /* Ids, version and a 256-byte detail (quotes escaped at most) fit in well under 1.5 KB;
   * keep it small, this runs on the MQTT task's stack. */
  char buf[1536];
  size_t len;
  fp_result_msg m;
  const char *active_id = NULL, *active_version = NULL;
  o->port.active(o->port.ctx, &active_id, &active_version);
  m.session = offer->session;
  m.deployment_id = offer->deployment_id;
  m.artifact_id = offer->artifact_id;
  m.outcome = outcome;
  m.reason = reason;
  m.detail = detail;
  m.active_artifact_id = active_id;
  m.active_model_version = active_version;
  if (fp_write_result(buf, sizeof buf, &m, &len) == FP_OK) o->port.publish(o->port.ctx, FP_PUB_RESULT, buf, len);
}

static void publish_progress(fp_ota *o, fp_phase phase) {
  char buf[160];
  size_t len;
  if (fp_write_progress(buf, sizeof buf, o->offer.session, phase, fp_assembler_received(&o->assembler),
                        o->offer.size, &len) == FP_OK)
    o->port.publish(o->port.ctx, FP_PUB_PROGRESS, buf, len);
}

static void publish_requests(fp_ota *o) {
  fp_range ranges[FP_MAX_IN_FLIGHT];
  uint32_t n = fp_assembler_requests(&o->assembler, ranges, FP_MAX_IN_FLIGHT), i;
  for (i = 0; i < n; i++) {
    char buf[96];
    size_t len;
    if (fp_write_request(buf, sizeof buf, o->offer.session, ranges[i].offset, ranges[i].length, &len) == FP_OK)
      o->port.publish(o->port.ctx, FP_PUB_REQUEST, buf, len);
  }
}

static void arm_timer(fp_ota *o, uint64_t now_ms) {
  o->timeout_ms = FP_OTA_REQUEST_TIMEOUT_MS;
  o->silent_rounds = 0;
  o->deadline_ms = now_ms + o->timeout_ms;
}

/* Ends the session: the result, then status (the download is no longer pending). */
static void finish_session(fp_ota *o, fp_outcome outcome, fp_reason reason, const char *detail) {
  o->busy = 0;
  publish_result(o, &o->offer, outcome, reason, detail);
  o->port.status_changed(o->port.ctx);
}

/* Rule 2: refuse before downloading what this device cannot hold or run. */
static int refuse_reason(fp_ota *o, const fp_offer *offer, uint32_t capacity, const char **detail) {
  uint32_t i;
  uint32_t chunks = offer->size / offer->chunk_size + (offer->size % offer->chunk_size != 0);
  if (offer->size > capacity) return *detail = "model larger than the slot", FP_REASON_TOO_LARGE;
  if (chunks > FP_MAX_CHUNKS) return *detail = "too many chunks for this firmware", FP_REASON_TOO_LARGE;
  if (offer->arena_bytes > o->port.arena_bytes) return *detail = "tensor arena too small", FP_REASON_ARENA_TOO_SMALL;
  for (i = 0; i < offer->op_count; i++)
    if (!o->port.has_op(o->port.ctx, offer->ops[i])) return *detail = offer->ops[i], FP_REASON_UNSUPPORTED_OPS;
  return FP_REASON_NONE;
}

static int hex_to_bytes(const char *hex, uint8_t out[32]) {
  int i;
  for (i = 0; i < 32; i++) {
    char h = hex[2 * i], l = hex[2 * i + 1];
    out[i] = (uint8_t)(((h <= '9' ? h - '0' : h - 'a' + 10) << 4) | (l <= '9' ? l - '0' : l - 'a' + 10));
  }
  return 1;
}

static void start_download(fp_ota *o, const fp_offer *offer, uint32_t resume_prefix, uint64_t now_ms) {
  fp_assembly_target t;
  uint32_t capacity = 0;
  fp_slot_sink sink = o->port.inactive_slot(o->port.ctx, &capacity);
  const char *detail = NULL;
  fp_reason refused = (fp_reason)refuse_reason(o, offer, capacity, &detail);
  fp_status st;
  if (refused != FP_REASON_NONE) {
    publish_result(o, offer, FP_OUTCOME_REFUSED, refused, detail);
    return;
  }
  o->offer = *offer;
  t.session = offer->session;
  t.size = offer->size;
  t.chunk_size = offer->chunk_size;
  hex_to_bytes(offer->sha256, t.sha256);
  st = fp_assembler_init(&o->assembler, &t, &sink, FP_MAX_IN_FLIGHT < 4 ? FP_MAX_IN_FLIGHT : 4, o->chunk_buf,
                         o->chunk_buf_len, resume_prefix);
  if (st == FP_ERR_BUFFER) {
    publish_result(o, offer, FP_OUTCOME_REFUSED, FP_REASON_TOO_LARGE, "chunk size needs more RAM than reserved");
    return;
  }
  o->busy = 1;
  if (st != FP_OK) {
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_WRITE_FAILED, "erasing the inactive slot failed");
    return;
  }
  o->saved_prefix = resume_prefix;
  o->port.status_changed(o->port.ctx);
  publish_progress(o, FP_PHASE_DOWNLOADING);
  arm_timer(o, now_ms);
  publish_requests(o);
}

void fp_ota_on_offer(fp_ota *o, const uint8_t *payload, size_t len, uint64_t now_ms) {
  static fp_offer offer; /* 3 KB: keep it off the MQTT task's stack */
  fp_parse_error error;
  const char *active_id = NULL, *active_version = NULL;
  uint32_t prefix = 0;
  if (fp_offer_is_withdrawal(len)) {
    if (o->busy) finish_session(o, FP_OUTCOME_FAILED, FP_REASON_CANCELLED, "offer withdrawn");
    return;
  }
  if (fp_offer_parse(payload, len, &offer, &error) != FP_OK) {
    o->invalid_messages++;
    return;
  }
  o->port.active(o->port.ctx, &active_id, &active_version);
  /* Rule 1: a redelivered offer of what already runs is answered at once. */
  if (active_id != NULL && strcmp(active_id, offer.artifact_id) == 0) {
    if (o->busy && o->offer.session != offer.session) o->busy = 0;
    publish_result(o, &offer, FP_OUTCOME_ACTIVATED, FP_REASON_NONE, NULL);
    return;
  }
  if (o->busy && offer.session == o->offer.session) {
    /* The retained offer came back after a reconnect: re-request only what is missing. */
    fp_ota_reconnected(o, now_ms);
    return;
  }
  if (o->busy && strcmp(offer.sha256, o->offer.sha256) == 0 && offer.chunk_size == o->offer.chunk_size)
    prefix = fp_assembler_last_good_offset(&o->assembler); /* same bytes, new session: keep them */
  else if (o->port.load_prefix != NULL)
    prefix = o->port.load_prefix(o->port.ctx, offer.session, offer.sha256);
  o->busy = 0;
  start_download(o, &offer, prefix, now_ms);
}

void fp_ota_chunk_begin(fp_ota *o, size_t frame_len) {
  if (o->busy) fp_assembler_frame_begin(&o->assembler, frame_len);
}

void fp_ota_chunk_data(fp_ota *o, const uint8_t *data, size_t len) {
  if (o->busy) fp_assembler_frame_data(&o->assembler, data, len);
}

/* Rule 5: a download that failed verification is erased, so no stale bytes look like a model. */
static void discard_download(fp_ota *o) {
  const fp_slot_sink *sink = &o->assembler.sink;
  uint32_t unit = sink->erase_unit;
  if (unit != 0) sink->erase(sink->ctx, 0, (uint32_t)(((uint64_t)o->offer.size + unit - 1) / unit * unit));
}

/* Rules 5 and 6: verify, activate, self-test, or roll back. */
static void verify_and_activate(fp_ota *o) {
  uint8_t digest[32];
  fp_status st;
  publish_progress(o, FP_PHASE_VERIFYING);
  st = fp_assembler_finish(&o->assembler, digest);
  if (st != FP_OK) {
    discard_download(o);
    finish_session(o, FP_OUTCOME_FAILED, st == FP_ERR_IO ? FP_REASON_WRITE_FAILED : FP_REASON_HASH_MISMATCH, NULL);
    return;
  }
  if (!o->port.verify_signature(o->port.ctx, digest, o->offer.signature)) {
    discard_download(o);
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_SIGNATURE_INVALID, NULL);
    return;
  }
  publish_progress(o, FP_PHASE_ACTIVATING);
  if (o->port.activate(o->port.ctx, &o->offer) != FP_OK) {
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_WRITE_FAILED, "active-slot marker not written");
    return;
  }
  if (!o->port.self_test(o->port.ctx)) {
    o->port.revert(o->port.ctx);
    finish_session(o, FP_OUTCOME_ROLLED_BACK, FP_REASON_ACTIVATION_FAILED, "model failed to load or run");
    return;
  }
  finish_session(o, FP_OUTCOME_ACTIVATED, FP_REASON_NONE, NULL);
}

void fp_ota_chunk_end(fp_ota *o, uint64_t now_ms) {
  fp_chunk_verdict verdict;
  uint32_t prefix;
  if (!o->busy) return;
  verdict = fp_assembler_frame_end(&o->assembler);
  if (verdict == FP_CHUNK_WRITE_FAILED) {
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_WRITE_FAILED, "flash write failed");
    return;
  }
  if (verdict == FP_CHUNK_MALFORMED) o->invalid_messages++;
  if (verdict == FP_CHUNK_ACCEPTED) arm_timer(o, now_ms);
  prefix = fp_assembler_last_good_offset(&o->assembler);
  if (o->port.save_prefix != NULL && prefix >= o->saved_prefix + FP_PREFIX_SAVE_STEP) {
    o->port.save_prefix(o->port.ctx, o->offer.session, o->offer.sha256, prefix);
    o->saved_prefix = prefix;
  }
  if (fp_assembler_complete(&o->assembler)) verify_and_activate(o);
  else publish_requests(o);
}

void fp_ota_cancel(fp_ota *o, uint32_t session) {
  if (o->busy && o->offer.session == session)
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_CANCELLED, "cancel-ota");
}

void fp_ota_tick(fp_ota *o, uint64_t now_ms) {
  if (!o->busy || now_ms < o->deadline_ms) return;
  if (++o->silent_rounds >= FP_OTA_MAX_SILENT_ROUNDS) {
    finish_session(o, FP_OUTCOME_FAILED, FP_REASON_TIMEOUT, "no chunk arrived in 10 rounds");
    return;
  }
  /* Rule 3: re-request what is outstanding, doubling the wait up to a minute. */
  o->timeout_ms = o->timeout_ms * 2 > FP_OTA_MAX_REQUEST_TIMEOUT_MS ? FP_OTA_MAX_REQUEST_TIMEOUT_MS : o->timeout_ms * 2;
  o->deadline_ms = now_ms + o->timeout_ms;
  fp_assembler_retry_outstanding(&o->assembler);
  publish_requests(o);
}

void fp_ota_reconnected(fp_ota *o, uint64_t now_ms) {
  if (!o->busy) return;
  arm_timer(o, now_ms);
  fp_assembler_retry_outstanding(&o->assembler);
  publish_requests(o);
}
