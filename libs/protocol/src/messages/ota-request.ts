import { MAX_CHUNK_SIZE, MAX_JSON_PAYLOAD, U32_MAX } from '../limits';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';

/** `ota/request` (device -> server, QoS 0): "send me `length` bytes from `offset`". */
export interface OtaChunkRequest {
  v: typeof PROTOCOL_VERSION;
  session: number;
  offset: number;
  length: number;
}

/** Codec of the `ota/request` channel. */
export const otaChunkRequestCodec = jsonCodec<OtaChunkRequest>('ota/request', MAX_JSON_PAYLOAD, (f) => ({
  v: PROTOCOL_VERSION,
  session: f.integer('session', 1, U32_MAX),
  offset: f.integer('offset', 0, U32_MAX),
  length: f.integer('length', 1, MAX_CHUNK_SIZE),
}));

/** Parses an `ota/request` payload; throws ProtocolError naming the bad field. */
export function parseOtaChunkRequest(payload: Uint8Array): OtaChunkRequest {
  return otaChunkRequestCodec.parse(payload);
}

/** Encodes an `ota/request` message after validating it. */
export function encodeOtaChunkRequest(message: OtaChunkRequest): Buffer {
  return otaChunkRequestCodec.encode(message);
}
