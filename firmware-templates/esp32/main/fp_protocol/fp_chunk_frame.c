#include "fp_chunk_frame.h"

#include "fp_crc32.h"
#include "fp_limits.h"

uint32_t fp_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

fp_status fp_frame_header_check(const uint8_t header[20], size_t frame_len, fp_frame_header *out) {
  uint8_t flags = header[3];
  out->session = fp_be32(header + 4);
  out->offset = fp_be32(header + 8);
  out->length = fp_be32(header + 12);
  out->crc = fp_be32(header + 16);
  out->last = (flags & FP_CHUNK_FLAG_LAST) != 0;
  if (header[0] != 0x46 || header[1] != 0x50) return FP_ERR_INVALID_MESSAGE;
  if (header[2] != 1) return FP_ERR_UNSUPPORTED_VERSION;
  if (flags & (uint8_t)~FP_CHUNK_FLAG_LAST) return FP_ERR_INVALID_MESSAGE;
  if (out->session == 0) return FP_ERR_INVALID_MESSAGE;
  if (out->length > FP_MAX_CHUNK_SIZE) return FP_ERR_TOO_LARGE;
  if (out->length == 0 || frame_len != (size_t)FP_CHUNK_HEADER_SIZE + out->length) return FP_ERR_INVALID_MESSAGE;
  /* offset + length must not pass 2^32; compare without overflowing 32-bit arithmetic. */
  if (out->length - 1u > FP_U32_MAX - out->offset) return FP_ERR_INVALID_MESSAGE;
  return FP_OK;
}

fp_status fp_chunk_frame_parse(const uint8_t *frame, size_t frame_len, fp_frame_header *out,
                               const uint8_t **payload) {
  fp_status st;
  uint32_t crc;
  if (frame_len < FP_CHUNK_HEADER_SIZE) return FP_ERR_INVALID_MESSAGE;
  st = fp_frame_header_check(frame, frame_len, out);
  if (st != FP_OK) return st;
  crc = fp_crc32(frame, 16, 0);
  crc = fp_crc32(frame + FP_CHUNK_HEADER_SIZE, out->length, crc);
  if (crc != out->crc) return FP_ERR_CORRUPT_CHUNK;
  *payload = frame + FP_CHUNK_HEADER_SIZE;
  return FP_OK;
}
