import { MAX_JSON_PAYLOAD, U32_MAX } from '../limits';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';
import { ID_RULE, TEXT_RULE, VERSION_RULE } from './field-rules';

/**
 * How an offer ended on the device. `activated`: the new model runs. `refused`: checked
 * against the profile before download, nothing written. `failed`: download, verification or
 * write failed, the old model never stopped. `rolled_back`: activated, failed its self-test,
 * and the previous slot is active again.
 */
export const OTA_OUTCOMES = ['activated', 'refused', 'failed', 'rolled_back'] as const;
export type OtaOutcome = (typeof OTA_OUTCOMES)[number];

/** Machine-readable reasons for every outcome but `activated`. */
export const OTA_FAILURE_REASONS = [
  'TOO_LARGE', // size exceeds the device's model slot
  'ARENA_TOO_SMALL', // arenaBytes exceeds the device's RAM for the arena
  'UNSUPPORTED_OPS', // an operator the firmware's op resolver lacks
  'UNSUPPORTED_ALGORITHM', // a signatureAlg the device cannot verify
  'SIZE_MISMATCH', // assembled bytes differ in length from `size`
  'HASH_MISMATCH', // SHA-256 differs from `sha256`
  'SIGNATURE_INVALID', // signature does not verify with the provisioned public key
  'MODEL_INVALID', // the bytes are not a model this runtime can load
  'WRITE_FAILED', // flash or file write of the inactive slot failed
  'ACTIVATION_FAILED', // the new model failed its self-test after switching slots
  'TIMEOUT', // the server stopped answering chunk requests
  'CANCELLED', // the server withdrew the offer or sent cancel-ota
  'BUSY', // another session is in progress
] as const;
export type OtaFailureReason = (typeof OTA_FAILURE_REASONS)[number];

/** `ota/result` (device -> server, QoS 1): the end of one session. */
export interface OtaResult {
  v: typeof PROTOCOL_VERSION;
  session: number;
  deploymentId: string;
  artifactId: string;
  outcome: OtaOutcome;
  /** Required unless outcome is `activated`. */
  reason?: OtaFailureReason;
  detail?: string;
  /** What runs now (the new model, or the one kept after a failure); absent if none. */
  activeArtifactId?: string;
  activeModelVersion?: string;
}

/** Codec of the `ota/result` channel. */
export const otaResultCodec = jsonCodec<OtaResult>('ota/result', MAX_JSON_PAYLOAD, (f) => {
  const message: OtaResult = {
    v: PROTOCOL_VERSION,
    session: f.integer('session', 1, U32_MAX),
    deploymentId: f.string('deploymentId', ID_RULE),
    artifactId: f.string('artifactId', ID_RULE),
    outcome: f.oneOf('outcome', OTA_OUTCOMES),
    reason: f.has('reason') ? f.oneOf('reason', OTA_FAILURE_REASONS) : undefined,
    detail: f.optionalString('detail', TEXT_RULE),
    activeArtifactId: f.optionalString('activeArtifactId', ID_RULE),
    activeModelVersion: f.optionalString('activeModelVersion', VERSION_RULE),
  };
  const activated = message.outcome === 'activated';
  f.check(
    activated === (message.reason === undefined),
    'reason',
    'be present exactly when outcome is not "activated"',
  );
  return message;
});

/** Parses an `ota/result` payload; throws ProtocolError naming the bad field. */
export function parseOtaResult(payload: Uint8Array): OtaResult {
  return otaResultCodec.parse(payload);
}

/** Encodes an `ota/result` message after validating it. */
export function encodeOtaResult(message: OtaResult): Buffer {
  return otaResultCodec.encode(message);
}
