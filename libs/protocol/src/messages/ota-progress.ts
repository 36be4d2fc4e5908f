import { MAX_JSON_PAYLOAD, MAX_MODEL_SIZE, U32_MAX } from '../limits';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';

/** Phases a device reports while it works on an offer. */
export const OTA_PHASES = ['downloading', 'verifying', 'writing', 'activating'] as const;
export type OtaPhase = (typeof OTA_PHASES)[number];

/** `ota/progress` (device -> server, QoS 0): advisory, the latest one wins. */
export interface OtaProgress {
  v: typeof PROTOCOL_VERSION;
  session: number;
  phase: OtaPhase;
  /** Bytes received and verified so far, out of `total`. */
  received: number;
  total: number;
}

/** Codec of the `ota/progress` channel. */
export const otaProgressCodec = jsonCodec<OtaProgress>('ota/progress', MAX_JSON_PAYLOAD, (f) => {
  const message: OtaProgress = {
    v: PROTOCOL_VERSION,
    session: f.integer('session', 1, U32_MAX),
    phase: f.oneOf('phase', OTA_PHASES),
    received: f.integer('received', 0, MAX_MODEL_SIZE),
    total: f.integer('total', 1, MAX_MODEL_SIZE),
  };
  f.check(message.received <= message.total, 'received', 'not exceed "total"');
  return message;
});

/** Parses an `ota/progress` payload; throws ProtocolError naming the bad field. */
export function parseOtaProgress(payload: Uint8Array): OtaProgress {
  return otaProgressCodec.parse(payload);
}

/** Encodes an `ota/progress` message after validating it. */
export function encodeOtaProgress(message: OtaProgress): Buffer {
  return otaProgressCodec.encode(message);
}
