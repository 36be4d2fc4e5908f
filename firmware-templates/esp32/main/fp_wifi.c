#include "fp_wifi.h"

#include <string.h>

#include "esp_event.h"
#include "esp_log.h"
#include "esp_netif.h"
#include "esp_netif_sntp.h"
#include "esp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/event_groups.h"

static const char *TAG = "fp_wifi";
static EventGroupHandle_t events;
#define GOT_IP BIT0

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
  (void)arg, (void)data;
  if (base == WIFI_EVENT && (id == WIFI_EVENT_STA_START || id == WIFI_EVENT_STA_DISCONNECTED)) {
    if (id == WIFI_EVENT_STA_DISCONNECTED) ESP_LOGW(TAG, "disconnected; retrying");
    esp_wifi_connect();
  } else if (base == IP_EVENT && id == IP_EVENT_STA_GOT_IP) {
    xEventGroupSetBits(events, GOT_IP);
  }
}

void fp_wifi_connect(const char *ssid, const char *password) {
  wifi_init_config_t init = WIFI_INIT_CONFIG_DEFAULT();
  wifi_config_t config;
  esp_sntp_config_t sntp = ESP_NETIF_SNTP_DEFAULT_CONFIG("pool.ntp.org");
  events = xEventGroupCreate();
  ESP_ERROR_CHECK(esp_netif_init());
  ESP_ERROR_CHECK(esp_event_loop_create_default());
  esp_netif_create_default_wifi_sta();
  ESP_ERROR_CHECK(esp_wifi_init(&init));
  ESP_ERROR_CHECK(esp_event_handler_instance_register(WIFI_EVENT, ESP_EVENT_ANY_ID, on_event, NULL, NULL));
  ESP_ERROR_CHECK(esp_event_handler_instance_register(IP_EVENT, IP_EVENT_STA_GOT_IP, on_event, NULL, NULL));
  memset(&config, 0, sizeof config);
  strncpy((char *)config.sta.ssid, ssid, sizeof config.sta.ssid - 1);
  strncpy((char *)config.sta.password, password, sizeof config.sta.password - 1);
  ESP_ERROR_CHECK(esp_wifi_set_mode(WIFI_MODE_STA));
  ESP_ERROR_CHECK(esp_wifi_set_config(WIFI_IF_STA, &config));
  ESP_ERROR_CHECK(esp_wifi_start());
  xEventGroupWaitBits(events, GOT_IP, pdFALSE, pdTRUE, portMAX_DELAY);
  /* Wall-clock time for status and telemetry; until it syncs, devices report 0. */
  esp_netif_sntp_init(&sntp);
  ESP_LOGI(TAG, "connected to %s", ssid);
}
