#include "fp_chunk_planner.h"

#include <string.h>

fp_status fp_planner_init(fp_chunk_planner *p, uint32_t total_size, uint32_t chunk_size) {
  memset(p, 0, sizeof *p);
  if (total_size < 1 || total_size > FP_MAX_MODEL_SIZE) return FP_ERR_TOO_LARGE;
  if (chunk_size < 1 || chunk_size > FP_MAX_CHUNK_SIZE) return FP_ERR_INVALID_MESSAGE;
  p->total_size = total_size;
  p->chunk_size = chunk_size;
  p->chunk_count = total_size / chunk_size + (total_size % chunk_size != 0);
  if (p->chunk_count > FP_MAX_CHUNKS) return FP_ERR_TOO_LARGE;
  return FP_OK;
}

fp_range fp_planner_range(const fp_chunk_planner *p, uint32_t index) {
  fp_range r;
  uint32_t rest;
  r.index = index;
  r.offset = index * p->chunk_size;
  rest = p->total_size - r.offset;
  r.length = rest < p->chunk_size ? rest : p->chunk_size;
  return r;
}

int fp_planner_index_of(const fp_chunk_planner *p, uint32_t offset, uint32_t length, uint32_t *index) {
  if (offset % p->chunk_size != 0 || offset >= p->total_size) return 0;
  if (fp_planner_range(p, offset / p->chunk_size).length != length) return 0;
  *index = offset / p->chunk_size;
  return 1;
}

int fp_planner_has(const fp_chunk_planner *p, uint32_t index) {
  return (p->bits[index >> 3] & (1u << (index & 7u))) != 0;
}

static int is_outstanding(const fp_chunk_planner *p, uint32_t index) {
  uint32_t i;
  for (i = 0; i < p->outstanding_count; i++)
    if (p->outstanding[i] == index) return 1;
  return 0;
}

void fp_planner_release(fp_chunk_planner *p, uint32_t index) {
  uint32_t i;
  for (i = 0; i < p->outstanding_count; i++) {
    if (p->outstanding[i] != index) continue;
    p->outstanding[i] = p->outstanding[--p->outstanding_count];
    return;
  }
}

void fp_planner_release_all(fp_chunk_planner *p) { p->outstanding_count = 0; }

int fp_planner_mark_received(fp_chunk_planner *p, uint32_t index) {
  fp_planner_release(p, index);
  if (fp_planner_has(p, index)) return 0;
  p->bits[index >> 3] |= (uint8_t)(1u << (index & 7u));
  p->received_chunks++;
  p->received_bytes += fp_planner_range(p, index).length;
  while (p->first_missing < p->chunk_count && fp_planner_has(p, p->first_missing)) p->first_missing++;
  return 1;
}

uint32_t fp_planner_next(fp_chunk_planner *p, uint32_t max_in_flight, fp_range *out, uint32_t cap) {
  uint32_t i, n = 0;
  if (max_in_flight > FP_MAX_IN_FLIGHT) max_in_flight = FP_MAX_IN_FLIGHT;
  for (i = p->first_missing; i < p->chunk_count && p->outstanding_count < max_in_flight && n < cap; i++) {
    if (fp_planner_has(p, i) || is_outstanding(p, i)) continue;
    p->outstanding[p->outstanding_count++] = i;
    out[n++] = fp_planner_range(p, i);
  }
  return n;
}

int fp_planner_complete(const fp_chunk_planner *p) { return p->received_chunks == p->chunk_count; }

uint32_t fp_planner_contiguous_bytes(const fp_chunk_planner *p) {
  uint64_t end = (uint64_t)p->first_missing * p->chunk_size;
  return end < p->total_size ? (uint32_t)end : p->total_size;
}
