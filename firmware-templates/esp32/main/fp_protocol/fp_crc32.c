#include "fp_crc32.h"

/* A 1 KB table built on first use (the loop crc32Reference in libs/protocol runs). */
static uint32_t table[256];
static int table_ready;

static void build_table(void) {
  uint32_t n;
  for (n = 0; n < 256; n++) {
    uint32_t c = n;
    int k;
    for (k = 0; k < 8; k++) c = (c & 1u) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    table[n] = c;
  }
  table_ready = 1;
}

uint32_t fp_crc32(const uint8_t *data, size_t len, uint32_t crc) {
  uint32_t c = ~crc;
  size_t i;
  if (!table_ready) build_table();
  for (i = 0; i < len; i++) c = table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return ~c;
}
