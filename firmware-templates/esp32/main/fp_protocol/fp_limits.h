/*
 * Hard limits of protocol v1 (docs/protocol.md; libs/protocol/src/limits.ts). Buffers in
 * this core are sized from them, so they are a contract, not tuning knobs.
 */
#ifndef FP_LIMITS_H_
#define FP_LIMITS_H_

#define FP_PROTOCOL_VERSION 1
#define FP_MAX_MODEL_SIZE (64UL * 1024UL * 1024UL)
#define FP_MIN_CHUNK_SIZE 256UL
#define FP_MAX_CHUNK_SIZE 65536UL
#define FP_DEFAULT_CHUNK_SIZE 8192UL
#define FP_MAX_JSON_PAYLOAD 4096
#define FP_MAX_OPS 64
#define FP_MAX_OP_BYTES 40
#define FP_MAX_ID_BYTES 64
#define FP_MAX_VERSION_BYTES 64
#define FP_MAX_NAME_BYTES 64
#define FP_MAX_SIGNATURE_B64 256
#define FP_MAX_DETAIL_BYTES 256
#define FP_SHA256_HEX 64
#define FP_SIGNATURE_BYTES 64
#define FP_CONFIDENCE_BINS 10
#define FP_MAX_WINDOW_SAMPLES 1000000UL
#define FP_MAX_WINDOW_MS 86400000.0
#define FP_EPOCH_MS_MAX 8.64e15
#define FP_MAX_LATENCY_MS 3600000.0
#define FP_U32_MAX 0xFFFFFFFFUL
#define FP_CHUNK_HEADER_SIZE 20
#define FP_OTA_REQUEST_TIMEOUT_MS 5000UL
#define FP_OTA_MAX_REQUEST_TIMEOUT_MS 60000UL
#define FP_OTA_MAX_SILENT_ROUNDS 10

/* Most chunks one download may have on this device: 1 bit each in the planner's bitmap. A
 * 1 MB slot at the minimum chunk size of 256 bytes needs 4096 (512 bytes of bitmap). */
#ifndef FP_MAX_CHUNKS
#define FP_MAX_CHUNKS 4096
#endif
/* Most requests kept outstanding (the protocol's window W; ChunkAssembler's maxInFlight). */
#ifndef FP_MAX_IN_FLIGHT
#define FP_MAX_IN_FLIGHT 8
#endif

#endif /* FP_LIMITS_H_ */
