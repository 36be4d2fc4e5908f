#include "fp_mqtt_link.h"

#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "fp_device.h"
#include "fp_limits.h"
#include "mqtt_client.h"

static const char *TAG = "fp_link";
#define FP_TOPIC_ROOT "fleetprune/v1/devices/"
#define FP_TOPIC_MAX (sizeof FP_TOPIC_ROOT + FP_MAX_ID_BYTES + 16)

static esp_mqtt_client_handle_t client;
static char device[FP_MAX_ID_BYTES + 1];
static char will_topic[FP_TOPIC_MAX];

/* The channel of the message whose pieces are arriving (esp-mqtt sends the topic once). */
typedef enum { IN_NONE, IN_OFFER, IN_CHUNK, IN_CMD } in_channel;
static in_channel receiving = IN_NONE;
static uint8_t json_buf[FP_MAX_JSON_PAYLOAD + 1];
static int json_too_large;

static void topic(char *out, size_t cap, const char *channel) {
  snprintf(out, cap, FP_TOPIC_ROOT "%s/%s", device, channel);
}

void fp_link_publish(fp_out_channel channel, const char *payload, size_t len) {
  static const struct {
    const char *name;
    int qos, retain;
  } table[] = {{"status", 1, 1}, {"ota/request", 0, 0}, {"ota/progress", 0, 0}, {"ota/result", 1, 0}, {"telemetry", 1, 0}};
  char t[FP_TOPIC_MAX];
  if (client == NULL) return;
  topic(t, sizeof t, table[channel].name);
  /* enqueue, not publish: this often runs inside the MQTT event handler. */
  if (esp_mqtt_client_enqueue(client, t, payload, (int)len, table[channel].qos, table[channel].retain, true) < 0)
    ESP_LOGW(TAG, "publish on %s dropped", table[channel].name);
}

static in_channel channel_of(const char *t, int len) {
  size_t prefix = strlen(FP_TOPIC_ROOT) + strlen(device) + 1;
  if (len <= (int)prefix || strncmp(t, will_topic, prefix) != 0) return IN_NONE;
  t += prefix, len -= (int)prefix;
  if (len == 9 && memcmp(t, "ota/offer", 9) == 0) return IN_OFFER;
  if (len == 9 && memcmp(t, "ota/chunk", 9) == 0) return IN_CHUNK;
  if (len == 3 && memcmp(t, "cmd", 3) == 0) return IN_CMD;
  return IN_NONE;
}

/* One MQTT_EVENT_DATA: a whole message or one piece of a large one. */
static void on_data(esp_mqtt_event_handle_t e) {
  int first = e->current_data_offset == 0, last = e->current_data_offset + e->data_len >= e->total_data_len;
  if (first) {
    receiving = channel_of(e->topic, e->topic_len);
    /* Every JSON payload is dropped above 4096 bytes, before any parsing. */
    json_too_large = receiving != IN_CHUNK && e->total_data_len > FP_MAX_JSON_PAYLOAD;
    if (receiving == IN_CHUNK) fp_device_chunk_begin((size_t)e->total_data_len);
  }
  if (receiving == IN_CHUNK) {
    fp_device_chunk_data((const uint8_t *)e->data, (size_t)e->data_len);
    if (last) fp_device_chunk_end();
  } else if (receiving != IN_NONE && !json_too_large) {
    memcpy(json_buf + e->current_data_offset, e->data, (size_t)e->data_len);
    if (last && receiving == IN_OFFER) fp_device_on_offer(json_buf, (size_t)e->total_data_len);
    if (last && receiving == IN_CMD) fp_device_on_cmd(json_buf, (size_t)e->total_data_len);
  }
  if (last) receiving = IN_NONE;
}

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
  esp_mqtt_event_handle_t e = data;
  char t[FP_TOPIC_MAX];
  (void)arg, (void)base;
  switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED:
      /* Exactly these three, not <id>/#: on 3.1.1 that would echo our own publishes back. */
      topic(t, sizeof t, "ota/offer");
      esp_mqtt_client_subscribe(client, t, 1);
      topic(t, sizeof t, "ota/chunk");
      esp_mqtt_client_subscribe(client, t, 0);
      topic(t, sizeof t, "cmd");
      esp_mqtt_client_subscribe(client, t, 1);
      fp_device_on_connected();
      break;
    case MQTT_EVENT_DISCONNECTED: ESP_LOGW(TAG, "disconnected; esp-mqtt reconnects"); break;
    case MQTT_EVENT_DATA: on_data(e); break;
    case MQTT_EVENT_ERROR: ESP_LOGW(TAG, "MQTT error"); break;
    default: break;
  }
}

void fp_link_start(const char *broker_url, const char *device_id, const char *password) {
  static const char will[] = "{\"v\":1,\"state\":\"offline\"}";
  esp_mqtt_client_config_t cfg;
  strncpy(device, device_id, sizeof device - 1);
  topic(will_topic, sizeof will_topic, "status");
  memset(&cfg, 0, sizeof cfg);
  cfg.broker.address.uri = broker_url;
  cfg.credentials.client_id = device;
  cfg.credentials.username = device;
  cfg.credentials.authentication.password = password;
  cfg.session.last_will.topic = will_topic;
  cfg.session.last_will.msg = will;
  cfg.session.last_will.msg_len = (int)strlen(will);
  cfg.session.last_will.qos = 1;
  cfg.session.last_will.retain = 1;
  cfg.session.disable_clean_session = false; /* the retained offer and the pull loop restore state */
  client = esp_mqtt_client_init(&cfg);
  esp_mqtt_client_register_event(client, ESP_EVENT_ANY_ID, on_event, NULL);
  esp_mqtt_client_start(client);
}
