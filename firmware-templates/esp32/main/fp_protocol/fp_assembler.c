#include "fp_assembler.h"

#include <string.h>

#include "fp_sha256.h"

const char *fp_chunk_verdict_name(fp_chunk_verdict verdict) {
  switch (verdict) {
    case FP_CHUNK_ACCEPTED: return "accepted";
    case FP_CHUNK_MALFORMED: return "malformed";
    case FP_CHUNK_CORRUPT: return "corrupt";
    case FP_CHUNK_SESSION: return "session";
    case FP_CHUNK_OFFSET: return "offset";
    case FP_CHUNK_DUPLICATE: return "duplicate";
    case FP_CHUNK_WRITE_FAILED: return "write_failed";
  }
  return "unknown";
}

static uint32_t round_up(uint32_t value, uint32_t unit) {
  return unit == 0 ? value : (uint32_t)(((uint64_t)value + unit - 1) / unit * unit);
}

fp_status fp_assembler_init(fp_assembler *a, const fp_assembly_target *target, const fp_slot_sink *sink,
                            uint32_t max_in_flight, uint8_t *chunk_buf, size_t chunk_buf_len,
                            uint32_t resume_prefix) {
  fp_status st;
  uint32_t keep = resume_prefix, i;
  memset(a, 0, sizeof *a);
  a->target = *target;
  a->sink = *sink;
  a->max_in_flight = max_in_flight < 1 ? 1 : max_in_flight;
  st = fp_planner_init(&a->planner, target->size, target->chunk_size);
  if (st != FP_OK) return st;
  a->buffered = sink->erase_unit != 0 && target->chunk_size % sink->erase_unit != 0;
  if (a->buffered) {
    if (chunk_buf == NULL || chunk_buf_len < target->chunk_size) return FP_ERR_BUFFER;
    a->chunk_buf = chunk_buf;
    /* Keep whole sectors of the prefix; the chunk straddling the cut is fetched again and
     * rewritten with the same bytes, which flash allows over already-programmed bits. */
    keep = resume_prefix / sink->erase_unit * sink->erase_unit;
    if (keep < round_up(target->size, sink->erase_unit)) {
      st = sink->erase(sink->ctx, keep, round_up(target->size, sink->erase_unit) - keep);
      if (st != FP_OK) return FP_ERR_IO;
    }
  }
  if (keep > target->size) keep = target->size;
  for (i = 0; i < a->planner.chunk_count; i++) {
    fp_range r = fp_planner_range(&a->planner, i);
    if (r.offset + r.length > keep) break;
    fp_planner_mark_received(&a->planner, i);
  }
  return FP_OK;
}

uint32_t fp_assembler_requests(fp_assembler *a, fp_range *out, uint32_t cap) {
  return fp_planner_next(&a->planner, a->max_in_flight, out, cap);
}

void fp_assembler_retry_outstanding(fp_assembler *a) { fp_planner_release_all(&a->planner); }

void fp_assembler_frame_begin(fp_assembler *a, size_t frame_len) {
  fp_frame_reader_begin(&a->reader, frame_len);
  a->pending = FP_CHUNK_MALFORMED;
  a->io = FP_OK;
}

/* Everything ChunkAssembler.accept checks after the CRC, decided from the header alone. */
static fp_chunk_verdict judge_header(fp_assembler *a) {
  const fp_frame_header *h = &a->reader.hdr;
  uint32_t index;
  if (a->reader.header_status != FP_OK) return FP_CHUNK_MALFORMED;
  if (h->session != a->target.session) return FP_CHUNK_SESSION;
  if (!fp_planner_index_of(&a->planner, h->offset, h->length, &index) ||
      h->last != (h->offset + h->length == a->target.size))
    return FP_CHUNK_OFFSET;
  a->pending_index = index;
  return fp_planner_has(&a->planner, index) ? FP_CHUNK_DUPLICATE : FP_CHUNK_ACCEPTED;
}

void fp_assembler_frame_data(fp_assembler *a, const uint8_t *data, size_t len) {
  const fp_frame_header *h = &a->reader.hdr;
  while (len > 0) {
    fp_payload_piece piece;
    if (fp_frame_reader_feed(&a->reader, &data, &len, &piece)) {
      a->pending = judge_header(a);
      if (a->pending == FP_CHUNK_ACCEPTED && !a->buffered && a->sink.erase_unit != 0)
        a->io = a->sink.erase(a->sink.ctx, h->offset, round_up(h->length, a->sink.erase_unit));
      continue;
    }
    if (piece.len == 0 || a->pending != FP_CHUNK_ACCEPTED || a->io != FP_OK) continue;
    if (a->buffered)
      memcpy(a->chunk_buf + piece.payload_pos, piece.data, piece.len);
    else
      a->io = a->sink.write(a->sink.ctx, h->offset + piece.payload_pos, piece.data, piece.len);
  }
}

fp_chunk_verdict fp_assembler_frame_end(fp_assembler *a) {
  fp_status st = fp_frame_reader_finish(&a->reader);
  uint32_t index;
  if (st == FP_ERR_CORRUPT_CHUNK) {
    /* Most damage hits the payload, so the header usually names the chunk: free it for an
     * immediate re-request (as ChunkAssembler.releaseNamedChunk does). */
    const uint8_t *raw = a->reader.header;
    if (fp_planner_index_of(&a->planner, fp_be32(raw + 8), fp_be32(raw + 12), &index) &&
        !fp_planner_has(&a->planner, index))
      fp_planner_release(&a->planner, index);
    return FP_CHUNK_CORRUPT;
  }
  if (st != FP_OK) return FP_CHUNK_MALFORMED;
  if (a->pending == FP_CHUNK_DUPLICATE) fp_planner_release(&a->planner, a->pending_index);
  if (a->pending != FP_CHUNK_ACCEPTED) return a->pending;
  if (a->io == FP_OK && a->buffered)
    a->io = a->sink.write(a->sink.ctx, a->reader.hdr.offset, a->chunk_buf, a->reader.hdr.length);
  if (a->io != FP_OK) {
    fp_planner_release(&a->planner, a->pending_index);
    return FP_CHUNK_WRITE_FAILED;
  }
  fp_planner_mark_received(&a->planner, a->pending_index);
  return FP_CHUNK_ACCEPTED;
}

fp_chunk_verdict fp_assembler_accept(fp_assembler *a, const uint8_t *frame, size_t frame_len) {
  fp_assembler_frame_begin(a, frame_len);
  fp_assembler_frame_data(a, frame, frame_len);
  return fp_assembler_frame_end(a);
}

int fp_assembler_complete(const fp_assembler *a) { return fp_planner_complete(&a->planner); }

uint32_t fp_assembler_received(const fp_assembler *a) { return a->planner.received_bytes; }

uint32_t fp_assembler_last_good_offset(const fp_assembler *a) {
  return fp_planner_contiguous_bytes(&a->planner);
}

fp_status fp_assembler_finish(fp_assembler *a, uint8_t digest[32]) {
  uint8_t block[512];
  fp_sha256_ctx sha;
  uint32_t pos = 0;
  if (!fp_assembler_complete(a)) return FP_ERR_INTEGRITY_FAILED;
  fp_sha256_init(&sha);
  while (pos < a->target.size) {
    uint32_t n = a->target.size - pos < sizeof block ? a->target.size - pos : (uint32_t)sizeof block;
    if (a->sink.read(a->sink.ctx, pos, block, n) != FP_OK) return FP_ERR_IO;
    fp_sha256_update(&sha, block, n);
    pos += n;
  }
  fp_sha256_final(&sha, digest);
  return memcmp(digest, a->target.sha256, 32) == 0 ? FP_OK : FP_ERR_INTEGRITY_FAILED;
}
