/*
 * Which chunks of an artifact are stored, which are requested, and which to request next
 * (ChunkPlanner in libs/protocol, step for step, so both sides request the same offsets).
 * Chunks sit at offset = index * chunk_size; the stored set is a bitmap of FP_MAX_CHUNKS bits.
 */
#ifndef FP_CHUNK_PLANNER_H_
#define FP_CHUNK_PLANNER_H_

#include <stdint.h>

#include "fp_limits.h"
#include "fp_status.h"

typedef struct fp_range {
  uint32_t index;
  uint32_t offset;
  uint32_t length;
} fp_range;

typedef struct fp_chunk_planner {
  uint32_t total_size;
  uint32_t chunk_size;
  uint32_t chunk_count;
  uint32_t received_chunks;
  uint32_t received_bytes;
  uint32_t first_missing; /* every chunk below is stored; only moves up */
  uint32_t outstanding[FP_MAX_IN_FLIGHT];
  uint32_t outstanding_count;
  uint8_t bits[(FP_MAX_CHUNKS + 7) / 8];
} fp_chunk_planner;

/* TOO_LARGE for a size of 0, above 64 MiB, or more chunks than FP_MAX_CHUNKS; INVALID_MESSAGE for a bad chunk size. */
fp_status fp_planner_init(fp_chunk_planner *p, uint32_t total_size, uint32_t chunk_size);
fp_range fp_planner_range(const fp_chunk_planner *p, uint32_t index);
/* 1 and *index when [offset, offset + length) is exactly one chunk, else 0. */
int fp_planner_index_of(const fp_chunk_planner *p, uint32_t offset, uint32_t length, uint32_t *index);
int fp_planner_has(const fp_chunk_planner *p, uint32_t index);
/* Records a stored chunk; 0 if it already was. */
int fp_planner_mark_received(fp_chunk_planner *p, uint32_t index);
void fp_planner_release(fp_chunk_planner *p, uint32_t index);
void fp_planner_release_all(fp_chunk_planner *p);
/* Up to max_in_flight - outstanding missing chunks, lowest first, marked outstanding. */
uint32_t fp_planner_next(fp_chunk_planner *p, uint32_t max_in_flight, fp_range *out, uint32_t cap);
int fp_planner_complete(const fp_chunk_planner *p);
/* End of the stored prefix, the offset to persist and resume from. */
uint32_t fp_planner_contiguous_bytes(const fp_chunk_planner *p);

#endif /* FP_CHUNK_PLANNER_H_ */
