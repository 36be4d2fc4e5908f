#include "fp_device.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "esp_log.h"
#include "esp_system.h"
#include "esp_timer.h"
#include "fp_command.h"
#include "fp_config.h"
#include "fp_mqtt_link.h"
#include "fp_ota.h"
#include "fp_signature.h"
#include "fp_slot_store.h"
#include "fp_telemetry_window.h"
#include "freertos/FreeRTOS.h"
#include "freertos/semphr.h"
#include "model_runner.h"
#include "sdkconfig.h"

static const char *TAG = "fp_device";
static const uint8_t signing_key[65] = FP_CONFIG_SIGNING_KEY_INIT;

static SemaphoreHandle_t lock;
static fp_ota ota;
static fp_telemetry_window window;
static uint32_t telemetry_interval_s = CONFIG_FP_TELEMETRY_INTERVAL_S;
static char last_command_id[FP_MAX_ID_BYTES + 1];
/* Serves chunk sizes that are not a multiple of the 4 KB sector (rare; default 8192 streams). */
static uint8_t chunk_buf[FP_DEFAULT_CHUNK_SIZE];

/* Wall-clock ms when SNTP has set the clock, else 0 ("a device without a clock"). */
static uint64_t now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return tv.tv_sec > 1577836800 ? (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u : 0;
}

static uint64_t uptime_ms(void) { return (uint64_t)(esp_timer_get_time() / 1000); }

static void publish_status(void) {
  char buf[1024]; /* ids, versions and names of 64 bytes: well under 1 KB */
  size_t len;
  const fp_slot_info *info = fp_slots_info(fp_slots_active());
  fp_status_msg m;
  memset(&m, 0, sizeof m);
  m.online = 1;
  m.has_ts = now_ms() > 0;
  m.ts = now_ms();
#ifdef FP_CONFIG_PROFILE
  m.profile = FP_CONFIG_PROFILE;
#endif
  m.firmware = "fleetprune-esp32 1";
  m.active_artifact_id = info->artifact_id;
  m.active_model_version = info->model_version;
  m.ota_session = fp_ota_session(&ota);
  m.has_free_heap = 1;
  m.free_heap_bytes = esp_get_free_heap_size();
  m.has_uptime = 1;
  m.uptime_s = (uint32_t)(uptime_ms() / 1000u);
  if (fp_write_status(buf, sizeof buf, &m, &len) == FP_OK) fp_link_publish(FP_OUT_STATUS, buf, len);
}

static int load_active(void) {
  size_t len = 0;
  const uint8_t *model = fp_slots_map(fp_slots_active(), &len);
  return model != NULL && fp_model_load(model, len);
}

/* fp_ota_port callbacks. */
static void port_publish(void *ctx, fp_ota_channel channel, const char *json, size_t len) {
  (void)ctx;
  fp_link_publish(channel == FP_PUB_REQUEST ? FP_OUT_REQUEST : channel == FP_PUB_PROGRESS ? FP_OUT_PROGRESS : FP_OUT_RESULT,
                  json, len);
}
static fp_slot_sink port_inactive_slot(void *ctx, uint32_t *capacity) { return (void)ctx, fp_slots_inactive_sink(capacity); }
static int port_has_op(void *ctx, const char *op) { return (void)ctx, fp_model_has_op(op); }
static int port_verify(void *ctx, const uint8_t digest[32], const char *sig) {
  return (void)ctx, fp_signature_verify(signing_key, digest, sig);
}
static fp_status port_activate(void *ctx, const fp_offer *o) {
  return (void)ctx, fp_slots_activate_inactive(o->artifact_id, o->model_version, o->size);
}
static int port_self_test(void *ctx) { return (void)ctx, load_active() && fp_model_self_test(); }
static void port_revert(void *ctx) {
  (void)ctx;
  if (!fp_slots_revert() || !load_active()) ESP_LOGE(TAG, "rollback could not reload the previous model");
}
static void port_active(void *ctx, const char **id, const char **version) {
  const fp_slot_info *info = fp_slots_info(fp_slots_active());
  (void)ctx;
  *id = info->artifact_id;
  *version = info->model_version;
}
static void port_status_changed(void *ctx) { (void)ctx, publish_status(); }
static void port_save_prefix(void *ctx, uint32_t session, const char *sha, uint32_t prefix) {
  (void)ctx, fp_slots_save_prefix(session, sha, prefix);
}
static uint32_t port_load_prefix(void *ctx, uint32_t session, const char *sha) {
  return (void)ctx, fp_slots_load_prefix(session, sha);
}

void fp_device_start(void) {
  fp_ota_port port;
  lock = xSemaphoreCreateMutex();
  if (!fp_slots_init()) abort();
  if (!load_active()) {
    ESP_LOGE(TAG, "active model failed to load; falling back to the factory model");
    fp_slots_revert();
    if (!load_active()) abort();
  }
  memset(&port, 0, sizeof port);
  port.publish = port_publish;
  port.inactive_slot = port_inactive_slot;
  port.arena_bytes = (uint32_t)fp_model_arena_bytes();
  port.has_op = port_has_op;
  port.verify_signature = port_verify;
  port.activate = port_activate;
  port.self_test = port_self_test;
  port.revert = port_revert;
  port.active = port_active;
  port.status_changed = port_status_changed;
  port.save_prefix = port_save_prefix;
  port.load_prefix = port_load_prefix;
  fp_ota_init(&ota, &port, chunk_buf, sizeof chunk_buf);
  fp_telemetry_start(&window, now_ms(), 0);
}

#define LOCKED(body)                      \
  do {                                    \
    xSemaphoreTake(lock, portMAX_DELAY);  \
    body;                                 \
    xSemaphoreGive(lock);                 \
  } while (0)

void fp_device_on_connected(void) { LOCKED(publish_status(); fp_ota_reconnected(&ota, uptime_ms())); }
void fp_device_on_offer(const uint8_t *p, size_t len) { LOCKED(fp_ota_on_offer(&ota, p, len, uptime_ms())); }
void fp_device_chunk_begin(size_t frame_len) { LOCKED(fp_ota_chunk_begin(&ota, frame_len)); }
void fp_device_chunk_data(const uint8_t *data, size_t len) { LOCKED(fp_ota_chunk_data(&ota, data, len)); }
void fp_device_chunk_end(void) { LOCKED(fp_ota_chunk_end(&ota, uptime_ms())); }

static void run_command(const fp_command *c) {
  /* QoS 1 may deliver a command twice; the id tells. */
  if (strcmp(c->id, last_command_id) == 0) return;
  strcpy(last_command_id, c->id);
  switch (c->type) {
    case FP_CMD_REPORT_STATUS: publish_status(); break;
    case FP_CMD_CANCEL_OTA: fp_ota_cancel(&ota, c->session); break;
    case FP_CMD_ROLLBACK:
      if (fp_ota_session(&ota) == 0 && fp_slots_revert() && !load_active()) ESP_LOGE(TAG, "rollback target failed to load");
      publish_status();
      break;
    case FP_CMD_SET_TELEMETRY: telemetry_interval_s = c->interval_s; break;
    case FP_CMD_UPLOAD_SAMPLES: ESP_LOGI(TAG, "upload-samples: this template keeps no samples"); break;
  }
}

void fp_device_on_cmd(const uint8_t *payload, size_t len) {
  fp_command c;
  fp_parse_error e;
  if (fp_command_parse(payload, len, &c, &e) != FP_OK) {
    ESP_LOGW(TAG, "cmd dropped: %s %s", fp_status_name(e.code), e.field ? e.field : "");
    return;
  }
  LOCKED(run_command(&c));
}

static void publish_telemetry(void) {
  char buf[1024];
  size_t len;
  fp_telemetry_msg m;
  const fp_slot_info *info = fp_slots_info(fp_slots_active());
  fp_telemetry_close(&window, now_ms(), info->artifact_id, info->model_version, (uint32_t)fp_model_arena_used(), &m);
  if (fp_write_telemetry(buf, sizeof buf, &m, &len) == FP_OK) fp_link_publish(FP_OUT_TELEMETRY, buf, len);
}

void fp_device_tick(void) {
  static uint64_t window_opened_ms;
  uint64_t up = uptime_ms();
  LOCKED(fp_ota_tick(&ota, up));
  /* Windows are timed on the monotonic clock; their bounds carry wall-clock ms. */
  if (up - window_opened_ms >= (uint64_t)telemetry_interval_s * 1000u) {
    window_opened_ms = up;
    LOCKED(publish_telemetry());
  }
}

int fp_device_infer(const int8_t *input, size_t len, int label) {
  int predicted = -1, ok = 0;
  float confidence = 0;
  double latency = 0;
  LOCKED(ok = fp_model_infer(input, len, &predicted, &confidence, &latency);
         if (ok) fp_telemetry_record(&window, latency, confidence, label >= 0, label == predicted));
  return ok ? predicted : -1;
}
