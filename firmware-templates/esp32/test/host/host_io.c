#include "host_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void host_die(const char *what) {
  fprintf(stderr, "fp_host_runner: %s\n", what);
  exit(2);
}

size_t host_read_lines(char ***lines) {
  size_t cap = 1 << 16, len = 0, n = 0, i;
  char *text = malloc(cap);
  size_t got;
  if (!text) host_die("out of memory");
  while ((got = fread(text + len, 1, cap - len - 1, stdin)) > 0) {
    len += got;
    if (cap - len - 1 == 0) {
      cap *= 2;
      text = realloc(text, cap);
      if (!text) host_die("out of memory");
    }
  }
  text[len] = '\0';
  for (i = 0; i < len; i++) n += text[i] == '\n';
  *lines = malloc((n + 1) * sizeof **lines);
  if (!*lines) host_die("out of memory");
  n = 0;
  {
    char *p = text;
    while (*p) {
      char *nl = strchr(p, '\n');
      (*lines)[n++] = p;
      if (!nl) break;
      *nl = '\0';
      p = nl + 1;
    }
  }
  return n;
}

size_t host_words(char *line, char **words, size_t max) {
  size_t n = 0;
  char *p = line;
  while (*p && n < max) {
    while (*p == ' ') p++;
    if (!*p) break;
    words[n++] = p;
    while (*p && *p != ' ') p++;
    if (*p) *p++ = '\0';
  }
  return n;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint8_t *host_unhex(const char *hex, size_t *len) {
  size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex), i;
  uint8_t *out = malloc(n / 2 + 1);
  if (!out || n % 2) host_die("bad hex");
  for (i = 0; i < n / 2; i++) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) host_die("bad hex digit");
    out[i] = (uint8_t)(hi * 16 + lo);
  }
  *len = n / 2;
  return out;
}

char *host_text(const char *hex) {
  size_t len;
  uint8_t *bytes;
  if (strcmp(hex, "-") == 0) return NULL;
  bytes = host_unhex(hex, &len);
  bytes = realloc(bytes, len + 1);
  bytes[len] = '\0';
  return (char *)bytes;
}

void host_print_hex(const uint8_t *data, size_t len) {
  size_t i;
  for (i = 0; i < len; i++) printf("%02x", data[i]);
}
