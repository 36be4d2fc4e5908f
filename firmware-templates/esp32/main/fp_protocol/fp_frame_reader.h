/*
 * Streaming reader of one chunk frame that arrives in pieces (esp-mqtt splits a large
 * payload over several MQTT_EVENT_DATA events). Only the 20-byte header is buffered; the
 * CRC runs over the payload as it passes, so each piece can go straight to flash.
 */
#ifndef FP_FRAME_READER_H_
#define FP_FRAME_READER_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_chunk_frame.h"

typedef struct fp_frame_reader {
  size_t frame_len; /* total announced by the transport */
  size_t seen;      /* bytes fed so far */
  uint8_t header[20];
  int header_ready;
  fp_status header_status; /* structure verdict, valid once header_ready */
  fp_frame_header hdr;
  uint32_t crc; /* running CRC over header bytes 0-15 and the payload so far */
} fp_frame_reader;

/* A piece of payload handed back by fp_frame_reader_feed: `data` at `payload_pos` in the payload. */
typedef struct fp_payload_piece {
  const uint8_t *data;
  size_t len;
  uint32_t payload_pos;
} fp_payload_piece;

/* Starts a frame of `frame_len` bytes (MQTT total_data_len). */
void fp_frame_reader_begin(fp_frame_reader *r, size_t frame_len);

/*
 * Consumes bytes from (*data, *len). Returns 1 when the header just became complete (inspect
 * r->header_status and r->hdr, then call again with the remaining bytes), else 0; payload
 * bytes consumed are described by *piece (len 0 when none). Bytes past frame_len are dropped
 * and make the frame invalid.
 */
int fp_frame_reader_feed(fp_frame_reader *r, const uint8_t **data, size_t *len, fp_payload_piece *piece);

/* Verdict once every piece was fed: structure errors, then CORRUPT_CHUNK, else FP_OK. */
fp_status fp_frame_reader_finish(const fp_frame_reader *r);

#endif /* FP_FRAME_READER_H_ */
