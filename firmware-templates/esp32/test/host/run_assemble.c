/*
 * Runner mode assemble: replays a download. First line:
 *   target <session> <size> <chunkSize> <sha256 hex> <maxInFlight> <eraseUnit> [<prefix hex>]
 * where <prefix hex> is what an earlier boot already stored from offset 0 (a resume).
 * then events, each answered with one line:
 *   requests             -> "req <offsets>"           (what the planner asks for now)
 *   frame <hex> <splits> -> "<verdict> <offsets>"     (frame fed in pieces, then requests)
 *   timeout              -> "req <offsets>"           (retry outstanding, then requests)
 *   finish               -> "finish OK <sha256>" or "finish <CODE>", then "erases <n>"
 * <offsets> is a comma-separated list, "-" when empty.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_assembler.h"
#include "fp_sha256.h"
#include "host_io.h"
#include "nor_flash.h"
#include "runner.h"

static void print_requests(fp_assembler *a) {
  fp_range out[FP_MAX_IN_FLIGHT];
  uint32_t k = fp_assembler_requests(a, out, FP_MAX_IN_FLIGHT), i;
  if (k == 0) printf("-");
  for (i = 0; i < k; i++) printf(i ? ",%lu" : "%lu", (unsigned long)out[i].offset);
  printf("\n");
}

static void feed_frame(fp_assembler *a, char *hex, char *splits) {
  size_t len, from = 0;
  uint8_t *frame = host_unhex(hex, &len);
  char *tok = strcmp(splits, "-") == 0 ? NULL : strtok(splits, ",");
  fp_assembler_frame_begin(a, len);
  for (;;) {
    size_t to = tok ? (size_t)strtoul(tok, NULL, 10) : len;
    if (to > len || to < from) host_die("bad split");
    fp_assembler_frame_data(a, frame + from, to - from);
    from = to;
    if (!tok) break;
    tok = strtok(NULL, ",");
  }
  printf("%s ", fp_chunk_verdict_name(fp_assembler_frame_end(a)));
  free(frame);
}

void run_assemble(char **lines, size_t n) {
  static fp_assembler a;
  static uint8_t chunk_buf[65536];
  nor_flash flash;
  fp_assembly_target t;
  fp_slot_sink sink;
  char *w[8];
  uint8_t *prefix = NULL;
  size_t prefix_len = 0;
  size_t k = 0, i, shalen;
  uint8_t *sha;
  fp_status st;
  if (n == 0 || (k = host_words(lines[0], w, 8)) < 7 || strcmp(w[0], "target") != 0) host_die("no target line");
  t.session = (uint32_t)strtoul(w[1], NULL, 10);
  t.size = (uint32_t)strtoul(w[2], NULL, 10);
  t.chunk_size = (uint32_t)strtoul(w[3], NULL, 10);
  sha = host_unhex(w[4], &shalen);
  if (shalen != 32) host_die("target sha256 must be 32 bytes");
  memcpy(t.sha256, sha, 32);
  free(sha);
  nor_flash_init(&flash, t.size, (uint32_t)strtoul(w[6], NULL, 10));
  if (k > 7) {
    /* The earlier boot erased and programmed these bytes; the rest of the slot is garbage. */
    prefix = host_unhex(w[7], &prefix_len);
    if (prefix_len > flash.size) host_die("prefix larger than the slot");
    memset(flash.bytes, 0xFF, flash.sector ? (prefix_len + flash.sector - 1) / flash.sector * flash.sector : prefix_len);
    memcpy(flash.bytes, prefix, prefix_len);
    free(prefix);
  }
  sink = nor_flash_sink(&flash);
  st = fp_assembler_init(&a, &t, &sink, (uint32_t)strtoul(w[5], NULL, 10), chunk_buf, sizeof chunk_buf,
                         (uint32_t)prefix_len);
  if (st != FP_OK) {
    printf("init %s\n", fp_status_name(st));
    return;
  }
  for (i = 1; i < n; i++) {
    char *e[3];
    size_t m = host_words(lines[i], e, 3);
    if (m == 0) continue;
    if (strcmp(e[0], "requests") == 0) {
      printf("req ");
      print_requests(&a);
    } else if (strcmp(e[0], "timeout") == 0) {
      fp_assembler_retry_outstanding(&a);
      printf("req ");
      print_requests(&a);
    } else if (strcmp(e[0], "frame") == 0 && m == 3) {
      feed_frame(&a, e[1], e[2]);
      print_requests(&a);
    } else if (strcmp(e[0], "finish") == 0) {
      uint8_t digest[32];
      char hex[65];
      st = fp_assembler_finish(&a, digest);
      fp_sha256_hex(digest, hex);
      if (st == FP_OK) printf("finish OK %s\n", hex);
      else printf("finish %s\n", fp_status_name(st));
      printf("erases %lu\n", (unsigned long)flash.erases);
    } else
      host_die("unknown assemble event");
  }
  free(flash.bytes);
}
