/*
 * The binary ota/chunk frame (docs/protocol.md "ota/chunk"): 20-byte big-endian header
 * (magic "FP", version 1, flags, session, offset, length, CRC-32) then the payload.
 */
#ifndef FP_CHUNK_FRAME_H_
#define FP_CHUNK_FRAME_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_status.h"

#define FP_CHUNK_FLAG_LAST 0x01u

typedef struct fp_frame_header {
  uint32_t session;
  uint32_t offset;
  uint32_t length; /* payload bytes */
  uint32_t crc;    /* as stored in the frame */
  int last;
} fp_frame_header;

/* Structure checks of a header, in libs/protocol's order (magic, version, flags, session,
 * length limit, frame size, u32 overflow); `frame_len` is the whole frame's byte count. */
fp_status fp_frame_header_check(const uint8_t header[20], size_t frame_len,
                                fp_frame_header *out);

/* Decodes and checks a whole frame including its CRC; `payload` points into `frame`. */
fp_status fp_chunk_frame_parse(const uint8_t *frame, size_t frame_len, fp_frame_header *out,
                               const uint8_t **payload);

/* Reads a big-endian u32 (header fields, also from a frame whose CRC failed). */
uint32_t fp_be32(const uint8_t *p);

#endif /* FP_CHUNK_FRAME_H_ */
