import {
  MAX_CHUNK_SIZE,
  MAX_JSON_PAYLOAD,
  MAX_MODEL_SIZE,
  MAX_OPS,
  MIN_CHUNK_SIZE,
  U32_MAX,
} from '../limits';
import { jsonCodec } from '../json-codec';
import { ProtocolError } from '../protocol-error';
import { PROTOCOL_VERSION } from '../topics';
import { SIGNATURE_ALGORITHMS, SignatureAlgorithm } from '../signature-algorithm';
import { ID_RULE, OP_RULE, SHA256_RULE, SIGNATURE_RULE, VERSION_RULE } from './field-rules';

/**
 * `ota/offer` (server -> device, QoS 1, retained): "download this artifact". A zero-length
 * retained publish on the same topic withdraws it (see isOfferWithdrawal).
 */
export interface OtaOffer {
  v: typeof PROTOCOL_VERSION;
  deploymentId: string;
  /** Random non-zero u32 chosen per offer; every request and chunk frame of this download carries it. */
  session: number;
  artifactId: string;
  modelVersion: string;
  /** Artifact size in bytes. */
  size: number;
  /** SHA-256 of the artifact bytes, lowercase hex. */
  sha256: string;
  /** Base64 signature over the artifact bytes; its form is given by signatureAlg. */
  signature: string;
  signatureAlg: SignatureAlgorithm;
  /** Chunk payload size the device should request (the last chunk is shorter). */
  chunkSize: number;
  /** Tensor arena the model needs, in bytes; a device with less refuses the offer. */
  arenaBytes: number;
  /** TFLite builtin operators the model uses; a device lacking one refuses the offer. */
  ops: string[];
}

/** Codec of the `ota/offer` channel. */
export const otaOfferCodec = jsonCodec<OtaOffer>('ota/offer', MAX_JSON_PAYLOAD, (f) => {
  const size = f.integer('size', 1, U32_MAX);
  if (size > MAX_MODEL_SIZE)
    throw new ProtocolError(
      'TOO_LARGE',
      `ota/offer field "size" is ${size} bytes; protocol v1 allows at most ${MAX_MODEL_SIZE}`,
    );
  return {
    v: PROTOCOL_VERSION,
    deploymentId: f.string('deploymentId', ID_RULE),
    session: f.integer('session', 1, U32_MAX),
    artifactId: f.string('artifactId', ID_RULE),
    modelVersion: f.string('modelVersion', VERSION_RULE),
    size,
    sha256: f.string('sha256', SHA256_RULE),
    signature: f.string('signature', SIGNATURE_RULE),
    signatureAlg: f.oneOf('signatureAlg', SIGNATURE_ALGORITHMS),
    chunkSize: f.integer('chunkSize', MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
    arenaBytes: f.integer('arenaBytes', 0, U32_MAX),
    ops: f.stringArray('ops', 0, MAX_OPS, OP_RULE),
  };
});

/** Parses an `ota/offer` payload; throws ProtocolError naming the bad field. */
export function parseOtaOffer(payload: Uint8Array): OtaOffer {
  return otaOfferCodec.parse(payload);
}

/** Encodes an `ota/offer` message after validating it. */
export function encodeOtaOffer(message: OtaOffer): Buffer {
  return otaOfferCodec.encode(message);
}

/** True for the zero-length retained publish that withdraws a device's pending offer. */
export function isOfferWithdrawal(payload: Uint8Array): boolean {
  return payload.length === 0;
}
