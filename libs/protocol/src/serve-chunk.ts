import { encodeChunkFrame } from './chunk-frame';
import { OtaChunkRequest } from './messages/ota-request';
import { ProtocolError } from './protocol-error';

/**
 * Server side of a chunk request: the frame answering `request` for `artifact` in `session`,
 * clamped to the artifact's end. Refuses a request of another session, past the end or
 * longer than the offered chunk size, so a device cannot make the server send arbitrary sizes.
 */
export function serveChunk(
  artifact: Uint8Array,
  session: number,
  chunkSize: number,
  request: OtaChunkRequest,
): Buffer {
  if (request.session !== session)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `ota/request session ${request.session} is not the active ${session}`,
    );
  if (request.offset >= artifact.length || request.length > chunkSize)
    throw new ProtocolError(
      'INVALID_MESSAGE',
      `ota/request offset ${request.offset} length ${request.length} is outside ${artifact.length} bytes at chunk size ${chunkSize}`,
    );
  const end = Math.min(artifact.length, request.offset + request.length);
  return encodeChunkFrame({
    session,
    offset: request.offset,
    last: end === artifact.length,
    payload: artifact.subarray(request.offset, end),
  });
}
