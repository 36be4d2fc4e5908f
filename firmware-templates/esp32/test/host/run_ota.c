/*
 * Runner mode ota: drives the portable OTA state machine (fp_ota.c) with a host port and
 * a simulated server that answers each published request with a frame the TypeScript side
 * made with serveChunk. Lines:
 *   device <slotBytes> <arenaBytes> <eraseUnit> <selfTestOk 0|1> <ops,comma,list> <activeArtifact> <activeVersion> <publicPointHex>
 *   frame <offset> <hex>          a serveChunk answer for the request at <offset>
 *   serve <dropEvery> <corruptEvery>   answer requests, losing every Nth, corrupting every Mth (0: never)
 *   offer <hex> | withdraw | cancel <session> | tick <ms> | reconnect <ms>
 *   lose                          the server never gets the requests published so far
 *   lose                          the server never gets the requests published so far
 * Output: every publish as "<channel> <json>", "status" when the port is told status
 * changed, and "active <artifact> <version>" after each event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_ota.h"
#include "host_io.h"
#include "nor_flash.h"
#include "runner.h"
#ifdef FP_HOST_HAVE_MBEDTLS
#include "fp_signature.h"
#endif

#define MAX_FRAMES 4096
#define MAX_QUEUE 4096

typedef struct host_device {
  nor_flash slots[2];
  int inactive; /* index of the slot downloads go to */
  uint32_t arena;
  int self_test_ok;
  char ops[512];
  char active_id[65], active_version[65], previous_id[65], previous_version[65];
  uint8_t point[65];
  uint8_t *frames[MAX_FRAMES];
  size_t frame_len[MAX_FRAMES];
  uint32_t frame_offset[MAX_FRAMES];
  size_t frame_count;
  uint32_t queue[MAX_QUEUE]; /* offsets requested and not yet answered */
  size_t queued;
} host_device;

static host_device dev;
static uint8_t chunk_buf[65536];

static void port_publish(void *ctx, fp_ota_channel channel, const char *json, size_t len) {
  static const char *names[] = {"ota/request", "ota/progress", "ota/result"};
  const char *p;
  (void)ctx;
  printf("%s %.*s\n", names[channel], (int)len, json);
  /* The simulated server reads the offset back out of the request it just got. */
  if (channel == FP_PUB_REQUEST && (p = strstr(json, "\"offset\":")) != NULL && dev.queued < MAX_QUEUE)
    dev.queue[dev.queued++] = (uint32_t)strtoul(p + 9, NULL, 10);
}

static fp_slot_sink port_inactive_slot(void *ctx, uint32_t *capacity) {
  (void)ctx;
  *capacity = dev.slots[dev.inactive].size;
  return nor_flash_sink(&dev.slots[dev.inactive]);
}

static int port_has_op(void *ctx, const char *op) {
  const char *p = dev.ops;
  size_t n = strlen(op);
  (void)ctx;
  for (;;) {
    if (strncmp(p, op, n) == 0 && (p[n] == ',' || p[n] == '\0')) return 1;
    if ((p = strchr(p, ',')) == NULL) return 0;
    p++;
  }
}

static int port_verify(void *ctx, const uint8_t digest[32], const char *sig) {
  (void)ctx;
#ifdef FP_HOST_HAVE_MBEDTLS
  return fp_signature_verify(dev.point, digest, sig);
#else
  (void)digest, (void)sig;
  return -1; /* the spec skips signature scenarios without mbedTLS */
#endif
}

static fp_status port_activate(void *ctx, const fp_offer *o) {
  (void)ctx;
  strcpy(dev.previous_id, dev.active_id);
  strcpy(dev.previous_version, dev.active_version);
  strcpy(dev.active_id, o->artifact_id);
  strcpy(dev.active_version, o->model_version);
  dev.inactive = 1 - dev.inactive;
  return FP_OK;
}

static int port_self_test(void *ctx) { return (void)ctx, dev.self_test_ok; }

static void port_revert(void *ctx) {
  (void)ctx;
  strcpy(dev.active_id, dev.previous_id);
  strcpy(dev.active_version, dev.previous_version);
  dev.inactive = 1 - dev.inactive;
}

static void port_active(void *ctx, const char **id, const char **version) {
  (void)ctx;
  *id = dev.active_id[0] ? dev.active_id : NULL;
  *version = dev.active_version[0] ? dev.active_version : NULL;
}

static void port_status_changed(void *ctx) { (void)ctx, printf("status\n"); }

/* Answers queued requests until none is left; loses or damages some on purpose. */
static void serve(fp_ota *ota, unsigned drop_every, unsigned corrupt_every) {
  static unsigned served;
  while (dev.queued > 0) {
    uint32_t offset = dev.queue[0];
    size_t i;
    memmove(dev.queue, dev.queue + 1, --dev.queued * sizeof dev.queue[0]);
    served++;
    if (drop_every && served % drop_every == 0) continue;
    for (i = 0; i < dev.frame_count && dev.frame_offset[i] != offset; i++) continue;
    if (i == dev.frame_count) continue;
    fp_ota_chunk_begin(ota, dev.frame_len[i]);
    if (corrupt_every && served % corrupt_every == 0) {
      uint8_t *copy = malloc(dev.frame_len[i]);
      memcpy(copy, dev.frames[i], dev.frame_len[i]);
      copy[dev.frame_len[i] - 1] ^= 0x10;
      fp_ota_chunk_data(ota, copy, dev.frame_len[i]);
      free(copy);
    } else {
      /* In two pieces, as esp-mqtt delivers a payload larger than its buffer. */
      size_t half = dev.frame_len[i] / 2;
      fp_ota_chunk_data(ota, dev.frames[i], half);
      fp_ota_chunk_data(ota, dev.frames[i] + half, dev.frame_len[i] - half);
    }
    fp_ota_chunk_end(ota, 0);
  }
}

static void setup(fp_ota *ota, char **w) {
  fp_ota_port port;
  size_t len;
  uint8_t *point = host_unhex(w[8], &len);
  memset(&port, 0, sizeof port);
  nor_flash_init(&dev.slots[0], (uint32_t)strtoul(w[1], NULL, 10), (uint32_t)strtoul(w[3], NULL, 10));
  nor_flash_init(&dev.slots[1], (uint32_t)strtoul(w[1], NULL, 10), (uint32_t)strtoul(w[3], NULL, 10));
  dev.arena = (uint32_t)strtoul(w[2], NULL, 10);
  dev.self_test_ok = atoi(w[4]);
  strncpy(dev.ops, strcmp(w[5], "-") ? w[5] : "", sizeof dev.ops - 1);
  strncpy(dev.active_id, strcmp(w[6], "-") ? w[6] : "", 64);
  strncpy(dev.active_version, strcmp(w[7], "-") ? w[7] : "", 64);
  if (len == 65) memcpy(dev.point, point, 65);
  free(point);
  port.publish = port_publish;
  port.inactive_slot = port_inactive_slot;
  port.arena_bytes = dev.arena;
  port.has_op = port_has_op;
  port.verify_signature = port_verify;
  port.activate = port_activate;
  port.self_test = port_self_test;
  port.revert = port_revert;
  port.active = port_active;
  port.status_changed = port_status_changed;
  fp_ota_init(ota, &port, chunk_buf, sizeof chunk_buf);
}

void run_ota(char **lines, size_t n) {
  static fp_ota ota;
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[10];
    size_t k = host_words(lines[i], w, 10), len;
    uint8_t *bytes;
    if (k == 0) continue;
    if (strcmp(w[0], "device") == 0 && k == 9) setup(&ota, w);
    else if (strcmp(w[0], "frame") == 0 && k == 3 && dev.frame_count < MAX_FRAMES) {
      dev.frame_offset[dev.frame_count] = (uint32_t)strtoul(w[1], NULL, 10);
      dev.frames[dev.frame_count] = host_unhex(w[2], &dev.frame_len[dev.frame_count]);
      dev.frame_count++;
      continue;
    } else if (strcmp(w[0], "serve") == 0 && k == 3)
      serve(&ota, (unsigned)atoi(w[1]), (unsigned)atoi(w[2]));
    else if (strcmp(w[0], "offer") == 0 && k == 2) {
      bytes = host_unhex(w[1], &len);
      fp_ota_on_offer(&ota, bytes, len, 0);
      free(bytes);
    } else if (strcmp(w[0], "withdraw") == 0)
      fp_ota_on_offer(&ota, NULL, 0, 0);
    else if (strcmp(w[0], "lose") == 0)
      dev.queued = 0; /* the server never saw them */
    else if (strcmp(w[0], "cancel") == 0 && k == 2) fp_ota_cancel(&ota, (uint32_t)strtoul(w[1], NULL, 10));
    else if (strcmp(w[0], "tick") == 0 && k == 2) fp_ota_tick(&ota, strtoull(w[1], NULL, 10));
    else if (strcmp(w[0], "reconnect") == 0 && k == 2) fp_ota_reconnected(&ota, strtoull(w[1], NULL, 10));
    else host_die("unknown ota event");
    printf("active %s %s session %lu\n", dev.active_id[0] ? dev.active_id : "-",
           dev.active_version[0] ? dev.active_version : "-", (unsigned long)fp_ota_session(&ota));
  }
}
