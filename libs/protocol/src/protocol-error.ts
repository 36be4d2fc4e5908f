/** Why a protocol message or topic was refused. */
export type ProtocolErrorCode = 'INVALID_TOPIC' | 'INVALID_MESSAGE' | 'TOO_LARGE' | 'UNSUPPORTED_VERSION';

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
