import { ProtocolError } from '../protocol-error';

/** The ProtocolError code `fn` throws, 'no error', or rethrows anything that is not a ProtocolError. */
export function protocolErrorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProtocolError) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: 'no error', message: '' };
}
