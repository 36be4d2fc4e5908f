/*
 * The device's OTA state machine (docs/protocol.md "The OTA sequence", device rules 1-7),
 * portable: everything that touches flash, NVS, TFLite Micro, crypto or MQTT goes through
 * fp_ota_port, so the same code runs on the ESP32 and in the host tests.
 *
 *   offer -> profile checks (refused) -> pull window of requests -> frames into the
 *   inactive slot -> SHA-256 -> signature -> activate (marker) -> self-test -> result,
 *   or failed / rolled_back, the previous model running throughout.
 */
#ifndef FP_OTA_H_
#define FP_OTA_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_assembler.h"
#include "fp_messages_out.h"
#include "fp_offer.h"

typedef enum fp_ota_channel { FP_PUB_REQUEST, FP_PUB_PROGRESS, FP_PUB_RESULT } fp_ota_channel;

typedef struct fp_ota_port {
  void *ctx;
  /* Publishes a JSON message on the device's channel (QoS and retain per the channel table). */
  void (*publish)(void *ctx, fp_ota_channel channel, const char *json, size_t len);
  /* The inactive slot's storage and its capacity in bytes. */
  fp_slot_sink (*inactive_slot)(void *ctx, uint32_t *capacity);
  /* Tensor arena this firmware has, in bytes. */
  uint32_t arena_bytes;
  /* Whether the op resolver registers a builtin operator, e.g. "CONV_2D". */
  int (*has_op)(void *ctx, const char *op);
  int (*verify_signature)(void *ctx, const uint8_t digest[32], const char *signature_b64);
  /* Flips the active-slot marker to the freshly verified inactive slot (flushed first). */
  fp_status (*activate)(void *ctx, const fp_offer *offer);
  /* Loads the now-active model and runs one inference; 1 when both work. */
  int (*self_test)(void *ctx);
  /* Flips the marker back and reloads the previous model. */
  void (*revert)(void *ctx);
  /* Artifact and version now active (NULL when none). */
  void (*active)(void *ctx, const char **artifact_id, const char **model_version);
  /* The active model or the download state changed: publish status. */
  void (*status_changed)(void *ctx);
  /* Resume across a reboot: remember / recall the stored prefix of a download (optional, NULL). */
  void (*save_prefix)(void *ctx, uint32_t session, const char *sha256, uint32_t prefix);
  uint32_t (*load_prefix)(void *ctx, uint32_t session, const char *sha256);
} fp_ota_port;

typedef struct fp_ota {
  fp_ota_port port;
  int busy;
  fp_offer offer;
  fp_assembler assembler;
  uint8_t *chunk_buf;
  size_t chunk_buf_len;
  uint64_t deadline_ms;
  uint32_t timeout_ms;
  uint32_t silent_rounds;
  uint32_t saved_prefix;
  uint32_t invalid_messages; /* dropped offers and frames that were not even frames */
} fp_ota;

/* `chunk_buf` serves chunk sizes that are not a multiple of the flash sector (may be NULL). */
void fp_ota_init(fp_ota *o, const fp_ota_port *port, uint8_t *chunk_buf, size_t chunk_buf_len);
/* A payload on ota/offer (zero-length = withdrawal). */
void fp_ota_on_offer(fp_ota *o, const uint8_t *payload, size_t len, uint64_t now_ms);
/* A frame on ota/chunk, possibly in several pieces. */
void fp_ota_chunk_begin(fp_ota *o, size_t frame_len);
void fp_ota_chunk_data(fp_ota *o, const uint8_t *data, size_t len);
void fp_ota_chunk_end(fp_ota *o, uint64_t now_ms);
/* cmd cancel-ota for `session`. */
void fp_ota_cancel(fp_ota *o, uint32_t session);
/* Call about once a second: re-requests after silence, gives up after 10 silent rounds. */
void fp_ota_tick(fp_ota *o, uint64_t now_ms);
/* After an MQTT reconnect: forget in-flight requests and ask again. */
void fp_ota_reconnected(fp_ota *o, uint64_t now_ms);
/* The session being downloaded, 0 when idle (status otaSession). */
uint32_t fp_ota_session(const fp_ota *o);

#endif /* FP_OTA_H_ */
