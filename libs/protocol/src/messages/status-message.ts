import { MAX_JSON_PAYLOAD, U32_MAX } from '../limits';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION, deviceTopic } from '../topics';
import { CHANNELS } from '../channels';
import { EPOCH_MS_MAX, ID_RULE, NAME_RULE, VERSION_RULE } from './field-rules';

/** `status` (device -> server, QoS 1, retained): presence and what the device runs. */
export interface StatusMessage {
  v: typeof PROTOCOL_VERSION;
  /** `offline` is also the last-will payload the broker publishes when the device vanishes. */
  state: 'online' | 'offline';
  /** Device clock, ms since the epoch; absent in the last will (no clock at connect time). */
  ts?: number;
  profile?: string;
  firmware?: string;
  /** Artifact and model version in the active slot; absent before the first model. */
  activeArtifactId?: string;
  activeModelVersion?: string;
  /** OTA session being downloaded, so the server knows a resume is in progress. */
  otaSession?: number;
  freeHeapBytes?: number;
  uptimeS?: number;
}

/** Codec of the `status` channel. */
export const statusCodec = jsonCodec<StatusMessage>('status', MAX_JSON_PAYLOAD, (f) => ({
  v: PROTOCOL_VERSION,
  state: f.oneOf('state', ['online', 'offline'] as const),
  ts: f.optionalInteger('ts', 0, EPOCH_MS_MAX),
  profile: f.optionalString('profile', NAME_RULE),
  firmware: f.optionalString('firmware', NAME_RULE),
  activeArtifactId: f.optionalString('activeArtifactId', ID_RULE),
  activeModelVersion: f.optionalString('activeModelVersion', VERSION_RULE),
  otaSession: f.optionalInteger('otaSession', 1, U32_MAX),
  freeHeapBytes: f.optionalInteger('freeHeapBytes', 0, U32_MAX),
  uptimeS: f.optionalInteger('uptimeS', 0, U32_MAX),
}));

/** Parses a `status` payload; throws ProtocolError naming the bad field. */
export function parseStatus(payload: Uint8Array): StatusMessage {
  return statusCodec.parse(payload);
}

/** Encodes a `status` message after validating it. */
export function encodeStatus(message: StatusMessage): Buffer {
  return statusCodec.encode(message);
}

/** MQTT last will every device sets at CONNECT: the broker publishes it if the device drops. */
export interface LastWill {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

/** The last will for `deviceId`: `{"v":1,"state":"offline"}` on its status topic, retained. */
export function statusWill(deviceId: string): LastWill {
  const spec = CHANNELS.status;
  return {
    topic: deviceTopic(deviceId, 'status'),
    payload: encodeStatus({ v: PROTOCOL_VERSION, state: 'offline' }),
    qos: spec.qos,
    retain: spec.retained,
  };
}
