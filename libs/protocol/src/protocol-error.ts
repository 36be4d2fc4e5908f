/** Why a protocol message, topic, chunk or key was refused; transports map codes to answers. */
export type ProtocolErrorCode =
  | 'INVALID_TOPIC' // a device id or channel that cannot be a topic level
  | 'INVALID_MESSAGE' // wrong JSON, missing field, wrong type, out of range; the message names the field
  | 'TOO_LARGE' // a payload, chunk or model above its documented limit
  | 'UNSUPPORTED_VERSION' // a `v` field or chunk-frame version this code does not speak
  | 'CORRUPT_CHUNK' // a chunk frame whose CRC32 does not match its bytes
  | 'INTEGRITY_FAILED' // an assembled artifact with the wrong size or SHA-256, or incomplete
  | 'INVALID_KEY'; // a PEM that is not an ECDSA P-256 key of the expected kind

/** The one error class of libs/protocol; messages start with `Protocol:`. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(`Protocol: ${message}`);
    this.name = 'ProtocolError';
  }
}
