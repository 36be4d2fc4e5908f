/**
 * Hard limits of protocol v1. Firmware sizes its buffers from these, so raising one is a
 * protocol change; a device may enforce tighter ones from its profile (flash, arena RAM).
 */

/** Largest artifact an offer may announce (offsets travel as u32; 64 MiB covers a Pi model). */
export const MAX_MODEL_SIZE = 64 * 1024 * 1024;
/** Smallest chunk size an offer may ask for; below this the per-chunk overhead dominates. */
export const MIN_CHUNK_SIZE = 256;
/** Largest chunk payload; a chunk frame is this plus CHUNK_HEADER_SIZE bytes. */
export const MAX_CHUNK_SIZE = 65536;
/** Chunk size the server offers unless a profile says otherwise (see estimateOtaWire: ~3 % overhead). */
export const DEFAULT_CHUNK_SIZE = 8192;
/** Largest JSON payload on every channel except `samples`. */
export const MAX_JSON_PAYLOAD = 4096;
/** Largest `samples` payload (a handful of small labelled images in base64). */
export const MAX_SAMPLES_PAYLOAD = 65536;
/** Most operator names one offer may list (TFLite has ~200 builtins; a model uses a few dozen at most). */
export const MAX_OPS = 64;
/** Most items in one `samples` message, and the most decoded bytes of one item. */
export const MAX_SAMPLE_ITEMS = 16;
export const MAX_SAMPLE_BYTES = 16384;
/** Number of bins of the telemetry confidence histogram (bin i holds [i/10, (i+1)/10), the last includes 1). */
export const CONFIDENCE_BINS = 10;
/** Most inferences one telemetry window may count. */
export const MAX_WINDOW_SAMPLES = 1_000_000;
/** Longest telemetry window (one day), in milliseconds. */
export const MAX_WINDOW_MS = 86_400_000;
/** Largest u32, for offsets, sessions and sequence numbers. */
export const U32_MAX = 0xffffffff;
/** Bytes before the payload in a binary chunk frame (see chunk-frame.ts). */
export const CHUNK_HEADER_SIZE = 20;
/** Device pull loop: re-request outstanding chunks after this silence, doubling up to the max. */
export const OTA_REQUEST_TIMEOUT_MS = 5000;
export const OTA_MAX_REQUEST_TIMEOUT_MS = 60_000;
/** Silent rounds after which a device gives up with ota/result failed / TIMEOUT. */
export const OTA_MAX_SILENT_ROUNDS = 10;
