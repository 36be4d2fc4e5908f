#include "fp_slot_store.h"

#include <stdio.h>
#include <string.h>

#include "esp_log.h"
#include "esp_partition.h"
#include "fp_config.h"
#include "model_data.h" /* fp_model is defined in C++; globals are unmangled (Itanium ABI) */
#include "nvs.h"
#include "nvs_flash.h"

static const char *TAG = "fp_slots";
#define FP_PARTITION_SUBTYPE ((esp_partition_subtype_t)0x40)

static const esp_partition_t *parts[3]; /* [FP_SLOT_A], [FP_SLOT_B] */
static fp_slot_info infos[3];
static nvs_handle_t nvs;
static uint8_t active_slot, previous_slot;
static esp_partition_mmap_handle_t map_handle;
static int mapped;

static void load_info(fp_slot slot) {
  char key[8];
  size_t len;
  fp_slot_info *info = &infos[slot];
  uint8_t ok = 0;
  memset(info, 0, sizeof *info);
  snprintf(key, sizeof key, "%c_art", 'a' + slot - 1);
  len = sizeof info->artifact_id;
  nvs_get_str(nvs, key, info->artifact_id, &len);
  snprintf(key, sizeof key, "%c_ver", 'a' + slot - 1);
  len = sizeof info->model_version;
  nvs_get_str(nvs, key, info->model_version, &len);
  snprintf(key, sizeof key, "%c_size", 'a' + slot - 1);
  nvs_get_u32(nvs, key, &info->size);
  snprintf(key, sizeof key, "%c_ok", 'a' + slot - 1);
  nvs_get_u8(nvs, key, &ok);
  info->verified = ok == 1 && info->size > 0;
}

int fp_slots_init(void) {
  esp_err_t err = nvs_flash_init();
  if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND) {
    ESP_ERROR_CHECK(nvs_flash_erase());
    err = nvs_flash_init();
  }
  ESP_ERROR_CHECK(err);
  ESP_ERROR_CHECK(nvs_open("fp", NVS_READWRITE, &nvs));
  parts[FP_SLOT_A] = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, FP_PARTITION_SUBTYPE, "model_a");
  parts[FP_SLOT_B] = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, FP_PARTITION_SUBTYPE, "model_b");
  if (parts[FP_SLOT_A] == NULL || parts[FP_SLOT_B] == NULL) {
    ESP_LOGE(TAG, "partitions model_a/model_b missing: flash partitions.csv (idf.py partition-table-flash)");
    return 0;
  }
  strcpy(infos[FP_SLOT_FACTORY].artifact_id, FP_CONFIG_ARTIFACT_ID);
  strcpy(infos[FP_SLOT_FACTORY].model_version, FP_CONFIG_MODEL_VERSION);
  infos[FP_SLOT_FACTORY].size = fp_model_len;
  infos[FP_SLOT_FACTORY].verified = 1;
  load_info(FP_SLOT_A);
  load_info(FP_SLOT_B);
  nvs_get_u8(nvs, "active", &active_slot);
  nvs_get_u8(nvs, "prev", &previous_slot);
  if (active_slot > FP_SLOT_B || !infos[active_slot].verified) active_slot = FP_SLOT_FACTORY;
  return 1;
}

fp_slot fp_slots_active(void) { return (fp_slot)active_slot; }
fp_slot fp_slots_previous(void) { return (fp_slot)previous_slot; }
fp_slot fp_slots_inactive(void) { return active_slot == FP_SLOT_A ? FP_SLOT_B : FP_SLOT_A; }
const fp_slot_info *fp_slots_info(fp_slot slot) { return &infos[slot]; }

/* The first change to a slot's bytes revokes its "verified" mark (it may be a rollback
 * target), and only then: a refused offer leaves the slot as it was. */
static void invalidate(const esp_partition_t *part) {
  fp_slot slot = part == parts[FP_SLOT_A] ? FP_SLOT_A : FP_SLOT_B;
  char key[8];
  if (!infos[slot].verified) return;
  snprintf(key, sizeof key, "%c_ok", 'a' + slot - 1);
  nvs_set_u8(nvs, key, 0);
  nvs_commit(nvs);
  infos[slot].verified = 0;
}

static fp_status sink_erase(void *ctx, uint32_t offset, uint32_t len) {
  invalidate((const esp_partition_t *)ctx);
  return esp_partition_erase_range((const esp_partition_t *)ctx, offset, len) == ESP_OK ? FP_OK : FP_ERR_IO;
}

static fp_status sink_write(void *ctx, uint32_t offset, const uint8_t *data, size_t len) {
  invalidate((const esp_partition_t *)ctx);
  return esp_partition_write((const esp_partition_t *)ctx, offset, data, len) == ESP_OK ? FP_OK : FP_ERR_IO;
}

static fp_status sink_read(void *ctx, uint32_t offset, uint8_t *data, size_t len) {
  return esp_partition_read((const esp_partition_t *)ctx, offset, data, len) == ESP_OK ? FP_OK : FP_ERR_IO;
}

fp_slot_sink fp_slots_inactive_sink(uint32_t *capacity) {
  fp_slot slot = fp_slots_inactive();
  fp_slot_sink sink;
  sink.ctx = (void *)parts[slot];
  sink.erase_unit = parts[slot]->erase_size; /* 4096 on SPI NOR flash */
  sink.erase = sink_erase;
  sink.write = sink_write;
  sink.read = sink_read;
  *capacity = parts[slot]->size;
  return sink;
}

fp_status fp_slots_activate_inactive(const char *artifact_id, const char *model_version, uint32_t size) {
  fp_slot slot = fp_slots_inactive();
  char key[8];
  esp_err_t err = ESP_OK;
  snprintf(key, sizeof key, "%c_art", 'a' + slot - 1);
  err |= nvs_set_str(nvs, key, artifact_id);
  snprintf(key, sizeof key, "%c_ver", 'a' + slot - 1);
  err |= nvs_set_str(nvs, key, model_version);
  snprintf(key, sizeof key, "%c_size", 'a' + slot - 1);
  err |= nvs_set_u32(nvs, key, size);
  snprintf(key, sizeof key, "%c_ok", 'a' + slot - 1);
  err |= nvs_set_u8(nvs, key, 1);
  err |= nvs_set_u8(nvs, "prev", active_slot);
  err |= nvs_set_u8(nvs, "active", (uint8_t)slot);
  nvs_erase_key(nvs, "dl_sess"); /* the download is over; absent is fine */
  /* One commit: NVS writes the entries atomically per key; "active" is the last one set. */
  if (err != ESP_OK || nvs_commit(nvs) != ESP_OK) return FP_ERR_IO;
  load_info(slot);
  previous_slot = active_slot;
  active_slot = (uint8_t)slot;
  return FP_OK;
}

int fp_slots_revert(void) {
  uint8_t back = previous_slot;
  if (back > FP_SLOT_B || !infos[back].verified || back == active_slot) return 0;
  if (nvs_set_u8(nvs, "active", back) != ESP_OK || nvs_set_u8(nvs, "prev", active_slot) != ESP_OK ||
      nvs_commit(nvs) != ESP_OK)
    return 0;
  previous_slot = active_slot;
  active_slot = back;
  return 1;
}

const uint8_t *fp_slots_map(fp_slot slot, size_t *len) {
  const void *ptr = NULL;
  if (mapped) {
    esp_partition_munmap(map_handle);
    mapped = 0;
  }
  if (slot == FP_SLOT_FACTORY) {
    *len = fp_model_len;
    return fp_model;
  }
  /* Partitions start on 64 KB MMU pages, so the mapped model is 16-byte aligned as TFLM wants. */
  if (esp_partition_mmap(parts[slot], 0, infos[slot].size, ESP_PARTITION_MMAP_DATA, &ptr, &map_handle) != ESP_OK)
    return NULL;
  mapped = 1;
  *len = infos[slot].size;
  return (const uint8_t *)ptr;
}

void fp_slots_save_prefix(uint32_t session, const char *sha256, uint32_t prefix) {
  nvs_set_u32(nvs, "dl_sess", session);
  nvs_set_str(nvs, "dl_sha", sha256);
  nvs_set_u32(nvs, "dl_prefix", prefix);
  nvs_set_u8(nvs, "dl_slot", (uint8_t)fp_slots_inactive());
  nvs_commit(nvs);
}

uint32_t fp_slots_load_prefix(uint32_t session, const char *sha256) {
  uint32_t saved_session = 0, prefix = 0;
  uint8_t slot = 0;
  char sha[FP_SHA256_HEX + 1] = {0};
  size_t len = sizeof sha;
  if (nvs_get_u32(nvs, "dl_sess", &saved_session) != ESP_OK || saved_session != session) return 0;
  if (nvs_get_str(nvs, "dl_sha", sha, &len) != ESP_OK || strcmp(sha, sha256) != 0) return 0;
  if (nvs_get_u8(nvs, "dl_slot", &slot) != ESP_OK || slot != fp_slots_inactive()) return 0;
  nvs_get_u32(nvs, "dl_prefix", &prefix);
  return prefix;
}
