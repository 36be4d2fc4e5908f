#include "nor_flash.h"

#include <stdlib.h>
#include <string.h>

#include "host_io.h"

void nor_flash_init(nor_flash *f, uint32_t size, uint32_t sector) {
  f->size = sector ? (size + sector - 1) / sector * sector : size;
  f->sector = sector;
  f->erases = 0;
  f->bytes = malloc(f->size ? f->size : 1);
  if (!f->bytes) host_die("out of memory");
  /* Start from programmed garbage, so an erase the assembler forgets shows in the SHA-256. */
  memset(f->bytes, 0x5A, f->size);
}

static fp_status erase(void *ctx, uint32_t offset, uint32_t len) {
  nor_flash *f = ctx;
  if (f->sector == 0) host_die("erase on storage without erase unit");
  if (offset % f->sector || len % f->sector || offset > f->size || len > f->size - offset)
    host_die("erase off the sector grid or out of bounds");
  memset(f->bytes + offset, 0xFF, len);
  f->erases++;
  return FP_OK;
}

static fp_status write(void *ctx, uint32_t offset, const uint8_t *data, size_t len) {
  nor_flash *f = ctx;
  size_t i;
  if (offset > f->size || len > f->size - offset) host_die("write out of bounds");
  for (i = 0; i < len; i++) f->bytes[offset + i] = f->sector ? (uint8_t)(f->bytes[offset + i] & data[i]) : data[i];
  return FP_OK;
}

static fp_status read(void *ctx, uint32_t offset, uint8_t *data, size_t len) {
  nor_flash *f = ctx;
  if (offset > f->size || len > f->size - offset) host_die("read out of bounds");
  memcpy(data, f->bytes + offset, len);
  return FP_OK;
}

fp_slot_sink nor_flash_sink(nor_flash *f) {
  fp_slot_sink s;
  s.ctx = f;
  s.erase_unit = f->sector;
  s.erase = erase;
  s.write = write;
  s.read = read;
  return s;
}
