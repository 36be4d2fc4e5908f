/*
 * Runner modes sig and telemetry.
 *   sig:       "<public point hex> <digest hex> <signature base64>" -> "1" or "0"
 *              (built with mbedTLS when the host has it; otherwise prints "unavailable")
 *   telemetry: "start <ms> <seq>", "infer <latencyMs> <confidence> <labelKnown> <correct>",
 *              "close <ms> <artifactId> <modelVersion> <arena>" -> "ok <json>" or "err CODE"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_telemetry_window.h"
#include "host_io.h"
#include "runner.h"
#ifdef FP_HOST_HAVE_MBEDTLS
#include "fp_signature.h"
#endif

void run_sig(char **lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[3];
    if (host_words(lines[i], w, 3) < 3) continue;
#ifdef FP_HOST_HAVE_MBEDTLS
    {
      size_t plen, dlen;
      uint8_t *point = host_unhex(w[0], &plen), *digest = host_unhex(w[1], &dlen);
      if (plen != 65 || dlen != 32) host_die("sig needs a 65-byte point and a 32-byte digest");
      printf("%d\n", fp_signature_verify(point, digest, w[2]));
      free(point);
      free(digest);
    }
#else
    printf("unavailable\n");
#endif
  }
}

void run_telemetry(char **lines, size_t n) {
  static fp_telemetry_window win;
  static char buf[FP_MAX_JSON_PAYLOAD + 1];
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[6];
    size_t k = host_words(lines[i], w, 6), len;
    if (k == 0) continue;
    if (strcmp(w[0], "start") == 0 && k == 3)
      fp_telemetry_start(&win, strtoull(w[1], NULL, 10), (uint32_t)strtoul(w[2], NULL, 10));
    else if (strcmp(w[0], "infer") == 0 && k == 5)
      fp_telemetry_record(&win, strtod(w[1], NULL), strtod(w[2], NULL), atoi(w[3]), atoi(w[4]));
    else if (strcmp(w[0], "close") == 0 && k == 5) {
      fp_telemetry_msg msg;
      fp_status st;
      fp_telemetry_close(&win, strtoull(w[1], NULL, 10), w[2], w[3], (uint32_t)strtoul(w[4], NULL, 10), &msg);
      st = fp_write_telemetry(buf, sizeof buf, &msg, &len);
      if (st == FP_OK) printf("ok %s\n", buf);
      else printf("err %s\n", fp_status_name(st));
    } else
      host_die("unknown telemetry event");
  }
}
