#include "fp_frame_reader.h"

#include <string.h>

#include "fp_crc32.h"
#include "fp_limits.h"

void fp_frame_reader_begin(fp_frame_reader *r, size_t frame_len) {
  memset(r, 0, sizeof *r);
  r->frame_len = frame_len;
  r->header_status = FP_ERR_INVALID_MESSAGE;
}

int fp_frame_reader_feed(fp_frame_reader *r, const uint8_t **data, size_t *len, fp_payload_piece *piece) {
  size_t take;
  piece->data = NULL;
  piece->len = 0;
  piece->payload_pos = 0;
  if (*len == 0) return 0;
  if (!r->header_ready) {
    take = FP_CHUNK_HEADER_SIZE - r->seen;
    if (take > *len) take = *len;
    memcpy(r->header + r->seen, *data, take);
    r->seen += take, *data += take, *len -= take;
    if (r->seen < FP_CHUNK_HEADER_SIZE) return 0;
    r->header_ready = 1;
    r->header_status = fp_frame_header_check(r->header, r->frame_len, &r->hdr);
    r->crc = fp_crc32(r->header, 16, 0);
    return 1;
  }
  take = *len;
  piece->data = *data;
  piece->payload_pos = (uint32_t)(r->seen - FP_CHUNK_HEADER_SIZE);
  if (r->seen + take > r->frame_len) {
    /* More bytes than announced: count them so finish() refuses the frame, pass none on. */
    r->seen += take, *data += take, *len = 0;
    return 0;
  }
  piece->len = take;
  r->crc = fp_crc32(*data, take, r->crc);
  r->seen += take, *data += take, *len = 0;
  return 0;
}

fp_status fp_frame_reader_finish(const fp_frame_reader *r) {
  if (!r->header_ready) return FP_ERR_INVALID_MESSAGE;
  if (r->header_status != FP_OK) return r->header_status;
  if (r->seen != r->frame_len) return FP_ERR_INVALID_MESSAGE;
  return r->crc == r->hdr.crc ? FP_OK : FP_ERR_CORRUPT_CHUNK;
}
