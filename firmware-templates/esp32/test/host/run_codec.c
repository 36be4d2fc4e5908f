/* Runner modes crc, sha, frame, offer, cmd and sig: one verdict line per vector line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_command.h"
#include "fp_crc32.h"
#include "fp_frame_reader.h"
#include "fp_json_writer.h"
#include "fp_offer.h"
#include "fp_sha256.h"
#include "host_io.h"
#include "runner.h"

void run_crc(char **lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[2];
    size_t k = host_words(lines[i], w, 2), la, lb;
    uint8_t *a, *b;
    uint32_t crc;
    if (k == 0) continue;
    a = host_unhex(w[0], &la);
    crc = fp_crc32(a, la, 0);
    printf("%08lx", (unsigned long)crc);
    if (k == 2) {
      b = host_unhex(w[1], &lb);
      printf(" %08lx", (unsigned long)fp_crc32(b, lb, crc));
      free(b);
    }
    printf("\n");
    free(a);
  }
}

void run_sha(char **lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[1], hex[65];
    size_t len, k = host_words(lines[i], w, 1), pos = 0;
    uint8_t *data, digest[32];
    fp_sha256_ctx ctx;
    if (k == 0) continue;
    data = host_unhex(w[0], &len);
    fp_sha256_init(&ctx);
    /* Feed in uneven pieces so block-boundary handling is exercised too. */
    while (pos < len) {
      size_t take = (pos % 7) + 1 + (pos % 61);
      if (take > len - pos) take = len - pos;
      fp_sha256_update(&ctx, data + pos, take);
      pos += take;
    }
    fp_sha256_final(&ctx, digest);
    fp_sha256_hex(digest, hex);
    printf("%s\n", hex);
    free(data);
  }
}

static void print_frame_verdict(fp_status st, const fp_frame_header *h) {
  if (st == FP_OK)
    printf("ok:%lu:%lu:%lu:%d", (unsigned long)h->session, (unsigned long)h->offset, (unsigned long)h->length, h->last);
  else
    printf("%s", fp_status_name(st));
}

/* Feeds `frame` to a streaming reader cut at the given positions (comma-separated, ascending). */
static fp_status stream_frame(const uint8_t *frame, size_t len, char *splits, fp_frame_header *h) {
  fp_frame_reader r;
  size_t from = 0;
  char *tok = strcmp(splits, "-") == 0 ? NULL : strtok(splits, ",");
  fp_frame_reader_begin(&r, len);
  for (;;) {
    size_t to = tok ? (size_t)strtoul(tok, NULL, 10) : len;
    const uint8_t *p = frame + from;
    size_t rest = to - from;
    fp_payload_piece piece;
    if (to > len || to < from) host_die("bad split");
    while (rest > 0) fp_frame_reader_feed(&r, &p, &rest, &piece);
    from = to;
    if (!tok) break;
    tok = strtok(NULL, ",");
  }
  *h = r.hdr;
  return fp_frame_reader_finish(&r);
}

void run_frame(char **lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[2];
    size_t len;
    uint8_t *frame;
    const uint8_t *payload;
    fp_frame_header whole, streamed;
    fp_status a, b;
    if (host_words(lines[i], w, 2) < 2) continue;
    frame = host_unhex(w[0], &len);
    a = fp_chunk_frame_parse(frame, len, &whole, &payload);
    b = stream_frame(frame, len, w[1], &streamed);
    print_frame_verdict(a, &whole);
    printf(" ");
    print_frame_verdict(b, &streamed);
    printf("\n");
    free(frame);
  }
}

static void print_error(const fp_parse_error *e) {
  printf("err %s %s\n", fp_status_name(e->code), e->field ? e->field : "-");
}

static void print_offer(const fp_offer *o) {
  char buf[8192];
  fp_json_out out;
  uint32_t i;
  fp_out_begin(&out, buf, sizeof buf);
  fp_out_string(&out, "deploymentId", o->deployment_id);
  fp_out_uint(&out, "session", o->session);
  fp_out_string(&out, "artifactId", o->artifact_id);
  fp_out_string(&out, "modelVersion", o->model_version);
  fp_out_uint(&out, "size", o->size);
  fp_out_string(&out, "sha256", o->sha256);
  fp_out_string(&out, "signature", o->signature);
  fp_out_string(&out, "signatureAlg", fp_signature_algorithms[o->signature_alg]);
  fp_out_uint(&out, "chunkSize", o->chunk_size);
  fp_out_uint(&out, "arenaBytes", o->arena_bytes);
  /* The writer has no string arrays (devices never send one): append ops by hand. */
  printf("ok %.*s,\"ops\":[", (int)out.len, buf);
  for (i = 0; i < o->op_count; i++) printf(i ? ",\"%s\"" : "\"%s\"", o->ops[i]);
  printf("]}\n");
}

void run_offer(char **lines, size_t n) {
  static fp_offer offer;
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[1];
    size_t len;
    uint8_t *payload;
    fp_parse_error e;
    if (host_words(lines[i], w, 1) < 1) continue;
    payload = host_unhex(w[0], &len);
    if (fp_offer_parse(payload, len, &offer, &e) == FP_OK) print_offer(&offer);
    else print_error(&e);
    free(payload);
  }
}

void run_cmd(char **lines, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    char *w[1];
    size_t len;
    uint8_t *payload;
    fp_parse_error e;
    fp_command c;
    if (host_words(lines[i], w, 1) < 1) continue;
    payload = host_unhex(w[0], &len);
    if (fp_command_parse(payload, len, &c, &e) != FP_OK) print_error(&e);
    else {
      printf("ok {\"v\":1,\"id\":\"%s\",\"type\":\"%s\"", c.id, fp_command_types[c.type]);
      if (c.type == FP_CMD_CANCEL_OTA) printf(",\"session\":%lu", (unsigned long)c.session);
      if (c.type == FP_CMD_SET_TELEMETRY) printf(",\"intervalS\":%lu", (unsigned long)c.interval_s);
      if (c.type == FP_CMD_UPLOAD_SAMPLES)
        printf(",\"max\":%lu,\"misclassifiedOnly\":%s", (unsigned long)c.max, c.misclassified_only ? "true" : "false");
      printf("}\n");
    }
    free(payload);
  }
}
