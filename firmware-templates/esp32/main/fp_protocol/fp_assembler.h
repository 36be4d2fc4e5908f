/*
 * Device side of a download (ChunkAssembler in libs/protocol): plans requests, checks each
 * frame as it streams in, writes payloads into the inactive slot through fp_slot_sink, and
 * verifies size and SHA-256 at the end by reading the slot back.
 *
 * Flash can only be programmed after an erase, so a frame whose CRC fails must not leave
 * bytes behind that a later good copy cannot overwrite. Two modes follow from that:
 *  - streaming (chunk_size a multiple of the erase unit, e.g. the default 8192 on 4 KB
 *    sectors): a chunk's sectors are erased when its header passes, then each piece is
 *    written as it arrives; a corrupt copy is erased again by the next attempt.
 *  - buffered (any other chunk size): the payload is collected in the caller's buffer and
 *    written only after its CRC passed; the slot is erased once at init.
 */
#ifndef FP_ASSEMBLER_H_
#define FP_ASSEMBLER_H_

#include <stddef.h>
#include <stdint.h>

#include "fp_chunk_planner.h"
#include "fp_frame_reader.h"

/* Storage of the inactive model slot. */
typedef struct fp_slot_sink {
  void *ctx;
  /* Bytes per erase (flash sector); 0 for storage that needs no erase (RAM, files). */
  uint32_t erase_unit;
  fp_status (*erase)(void *ctx, uint32_t offset, uint32_t len);
  fp_status (*write)(void *ctx, uint32_t offset, const uint8_t *data, size_t len);
  fp_status (*read)(void *ctx, uint32_t offset, uint8_t *data, size_t len);
} fp_slot_sink;

/* The offer fields a download needs. */
typedef struct fp_assembly_target {
  uint32_t session;
  uint32_t size;
  uint32_t chunk_size;
  uint8_t sha256[32];
} fp_assembly_target;

/* What happened to one frame; the names of ChunkRejection in libs/protocol. */
typedef enum fp_chunk_verdict {
  FP_CHUNK_ACCEPTED = 0,
  FP_CHUNK_MALFORMED, /* not a valid frame (magic, version, lengths) */
  FP_CHUNK_CORRUPT,   /* CRC mismatch; its chunk is requested again at once */
  FP_CHUNK_SESSION,   /* a frame of another offer */
  FP_CHUNK_OFFSET,    /* not a chunk of this artifact */
  FP_CHUNK_DUPLICATE, /* already stored */
  FP_CHUNK_WRITE_FAILED /* the slot refused the bytes: report WRITE_FAILED */
} fp_chunk_verdict;

const char *fp_chunk_verdict_name(fp_chunk_verdict verdict);

typedef struct fp_assembler {
  fp_assembly_target target;
  fp_slot_sink sink;
  fp_chunk_planner planner;
  uint32_t max_in_flight;
  uint8_t *chunk_buf; /* buffered mode only */
  int buffered;
  /* The frame in progress. */
  fp_frame_reader reader;
  fp_chunk_verdict pending; /* verdict from the header alone; the CRC can still overrule it */
  uint32_t pending_index;
  fp_status io;
} fp_assembler;

/*
 * Starts a download. `chunk_buf` (at least chunk_size bytes) is needed only when chunk_size
 * is not a multiple of sink.erase_unit. `resume_prefix`: bytes from offset 0 already in the
 * slot from an earlier boot (0 for a fresh download). FP_ERR_BUFFER when the buffer is missing.
 */
fp_status fp_assembler_init(fp_assembler *a, const fp_assembly_target *target, const fp_slot_sink *sink,
                            uint32_t max_in_flight, uint8_t *chunk_buf, size_t chunk_buf_len,
                            uint32_t resume_prefix);
/* Requests to publish now, keeping at most max_in_flight outstanding. */
uint32_t fp_assembler_requests(fp_assembler *a, fp_range *out, uint32_t cap);
/* After a silent timeout or a reconnect: forget what is in flight. */
void fp_assembler_retry_outstanding(fp_assembler *a);

/* One frame in pieces: begin with its total length, feed the pieces in order, then end. */
void fp_assembler_frame_begin(fp_assembler *a, size_t frame_len);
void fp_assembler_frame_data(fp_assembler *a, const uint8_t *data, size_t len);
fp_chunk_verdict fp_assembler_frame_end(fp_assembler *a);
/* The same for a frame held whole. */
fp_chunk_verdict fp_assembler_accept(fp_assembler *a, const uint8_t *frame, size_t frame_len);

int fp_assembler_complete(const fp_assembler *a);
uint32_t fp_assembler_received(const fp_assembler *a);
uint32_t fp_assembler_last_good_offset(const fp_assembler *a);

/* Reads the slot back and hashes it: INTEGRITY_FAILED when incomplete or the SHA-256
 * differs from the target's, FP_ERR_IO when the slot cannot be read. */
fp_status fp_assembler_finish(fp_assembler *a, uint8_t digest[32]);

#endif /* FP_ASSEMBLER_H_ */
