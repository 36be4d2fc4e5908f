/* fleetprune ESP32 firmware: Wi-Fi, MQTT, OTA model updates and telemetry. */
#include <stdlib.h>

#include "esp_log.h"
#include "fp_app_input.h"
#include "fp_config.h"
#include "fp_device.h"
#include "fp_mqtt_link.h"
#include "fp_wifi.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "model_runner.h"
#include "sdkconfig.h"

static const char *TAG = "fleetprune";

/* menuconfig wins when set; otherwise what `fleetprune firmware` rendered. */
static const char *pick(const char *configured, const char *rendered) {
  return configured[0] != '\0' ? configured : rendered;
}

void app_main(void) {
#ifdef FP_CONFIG_DEVICE_ID
  const char *id = pick(CONFIG_FP_DEVICE_ID, FP_CONFIG_DEVICE_ID);
  const char *password = pick(CONFIG_FP_DEVICE_PASSWORD, FP_CONFIG_DEVICE_PASSWORD);
#else
  const char *id = CONFIG_FP_DEVICE_ID;
  const char *password = CONFIG_FP_DEVICE_PASSWORD;
#endif
  static int8_t input[16384];
  TickType_t last_tick = xTaskGetTickCount();
  if (id[0] == '\0') {
    ESP_LOGE(TAG, "no device id: set it in menuconfig (fleetprune) or render with device credentials");
    return;
  }
  fp_device_start();
  fp_wifi_connect(CONFIG_FP_WIFI_SSID, CONFIG_FP_WIFI_PASSWORD);
  fp_link_start(pick(CONFIG_FP_BROKER_URL, FP_CONFIG_MQTT_URL), id, password);
  for (;;) {
    size_t n = fp_model_input_bytes();
    int label = -1;
    if (n > 0 && n <= sizeof input && fp_app_next_input(input, n, &label)) fp_device_infer(input, n, label);
    else vTaskDelay(pdMS_TO_TICKS(50));
    if (xTaskGetTickCount() - last_tick >= pdMS_TO_TICKS(1000)) {
      last_tick = xTaskGetTickCount();
      fp_device_tick();
    }
  }
}
