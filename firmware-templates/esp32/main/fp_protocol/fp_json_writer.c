#include "fp_json_writer.h"

#include <stdio.h>
#include <string.h>

#include "fp_limits.h"

static void put(fp_json_out *o, const char *text, size_t n) {
  if (o->overflow || o->len + n + 1 > o->cap) {
    o->overflow = 1;
    return;
  }
  memcpy(o->buf + o->len, text, n);
  o->len += n;
  o->buf[o->len] = '\0';
}

static void puts_(fp_json_out *o, const char *text) { put(o, text, strlen(text)); }

static void key(fp_json_out *o, const char *name) {
  puts_(o, o->members++ ? ",\"" : "\"");
  puts_(o, name);
  puts_(o, "\":");
}

void fp_out_begin(fp_json_out *o, char *buf, size_t cap) {
  o->buf = buf, o->cap = cap, o->len = 0, o->overflow = cap == 0, o->members = 0;
  puts_(o, "{");
  fp_out_uint(o, "v", FP_PROTOCOL_VERSION);
}

void fp_out_uint(fp_json_out *o, const char *name, uint64_t value) {
  char text[24];
  key(o, name);
  snprintf(text, sizeof text, "%llu", (unsigned long long)value);
  puts_(o, text);
}

void fp_out_number(fp_json_out *o, const char *name, double value) {
  char text[40];
  key(o, name);
  snprintf(text, sizeof text, "%.3f", value);
  puts_(o, text);
}

void fp_out_bool(fp_json_out *o, const char *name, int value) {
  key(o, name);
  puts_(o, value ? "true" : "false");
}

void fp_out_string(fp_json_out *o, const char *name, const char *value) {
  const char *p;
  key(o, name);
  puts_(o, "\"");
  for (p = value; *p; p++) {
    unsigned char c = (unsigned char)*p;
    char esc[8];
    if (c == '"' || c == '\\') {
      esc[0] = '\\', esc[1] = (char)c;
      put(o, esc, 2);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      put(o, esc, 6);
    } else
      put(o, p, 1);
  }
  puts_(o, "\"");
}

void fp_out_uint_array(fp_json_out *o, const char *name, const uint32_t *values, size_t n) {
  size_t i;
  char text[16];
  key(o, name);
  puts_(o, "[");
  for (i = 0; i < n; i++) {
    snprintf(text, sizeof text, i ? ",%lu" : "%lu", (unsigned long)values[i]);
    puts_(o, text);
  }
  puts_(o, "]");
}

fp_status fp_out_end(fp_json_out *o, size_t *len) {
  puts_(o, "}");
  if (o->overflow) return FP_ERR_BUFFER;
  if (o->len > FP_MAX_JSON_PAYLOAD) return FP_ERR_TOO_LARGE;
  *len = o->len;
  return FP_OK;
}
