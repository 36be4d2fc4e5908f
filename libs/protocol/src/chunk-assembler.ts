import { ChunkPlanner } from './chunk-planner';
import { parseChunkFrame, ChunkFrame } from './chunk-frame';
import { MAX_MODEL_SIZE } from './limits';
import { OtaChunkRequest } from './messages/ota-request';
import { ProtocolError } from './protocol-error';
import { sha256Hex } from './sha256-hex';
import { PROTOCOL_VERSION } from './topics';

/** The fields of an offer the assembler needs (an OtaOffer fits). */
export interface AssemblyTarget {
  session: number;
  size: number;
  sha256: string;
  chunkSize: number;
}

export interface ChunkAssemblerOptions {
  /** Largest artifact this device accepts (its model slot); default MAX_MODEL_SIZE. */
  maxModelSize: number;
  /** Requests kept in flight at once; default 4 (pipelining hides the round trip). */
  maxInFlight: number;
  /**
   * Keep accepted payloads in memory (default true). False when the caller writes each
   * accepted payload itself (to a slot file or flash): then prefix() and finish() are unavailable.
   */
  holdBytes: boolean;
}

export const DEFAULT_ASSEMBLER_OPTIONS: Readonly<ChunkAssemblerOptions> = {
  maxModelSize: MAX_MODEL_SIZE,
  maxInFlight: 4,
  holdBytes: true,
};

/** Why a frame was not stored; the device simply requests the chunk again. */
export type ChunkRejection =
  | 'malformed' // not a valid frame (magic, version, lengths)
  | 'corrupt' // CRC mismatch
  | 'session' // a frame of another offer (stale, or a re-offer raced it)
  | 'offset' // not a chunk of this artifact: misaligned, wrong length, past the end, wrong last flag
  | 'duplicate'; // already stored

export type ChunkAcceptance =
  | { accepted: true; offset: number; received: number; complete: boolean }
  | { accepted: false; reason: ChunkRejection; detail: string };

/**
 * Device side of a download: plans requests, checks every frame and places its payload,
 * and verifies size and SHA-256 at the end. Holds the artifact in memory, which suits the
 * simulated devices; firmware writes each payload to the inactive flash slot instead.
 */
export class ChunkAssembler {
  private readonly options: ChunkAssemblerOptions;
  private readonly planner: ChunkPlanner;
  /** Accepted payloads in place; undefined when holdBytes is false. */
  private readonly buffer: Uint8Array | undefined;

  constructor(
    readonly target: AssemblyTarget,
    options: Partial<ChunkAssemblerOptions> = {},
  ) {
    this.options = {
      maxModelSize: options.maxModelSize ?? DEFAULT_ASSEMBLER_OPTIONS.maxModelSize,
      maxInFlight: Math.max(1, options.maxInFlight ?? DEFAULT_ASSEMBLER_OPTIONS.maxInFlight),
      holdBytes: options.holdBytes ?? DEFAULT_ASSEMBLER_OPTIONS.holdBytes,
    };
    if (target.size > this.options.maxModelSize)
      throw new ProtocolError(
        'TOO_LARGE',
        `artifact of ${target.size} bytes exceeds this device's limit of ${this.options.maxModelSize}; refuse the offer`,
      );
    this.planner = new ChunkPlanner(target.size, target.chunkSize);
    if (this.options.holdBytes) this.buffer = new Uint8Array(target.size);
  }

  /** Requests to publish now, keeping at most maxInFlight outstanding. */
  requests(): OtaChunkRequest[] {
    return this.planner.next(this.options.maxInFlight).map((r) => ({
      v: PROTOCOL_VERSION,
      session: this.target.session,
      offset: r.offset,
      length: r.length,
    }));
  }

  /** After a timeout or reconnect: forget what is in flight so requests() asks again. */
  retryOutstanding(): void {
    this.planner.releaseAll();
  }

  /** Checks one received `ota/chunk` payload and stores it if it belongs here. */
  accept(frameBytes: Uint8Array): ChunkAcceptance {
    let frame: ChunkFrame;
    try {
      frame = parseChunkFrame(frameBytes);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      if (err.code !== 'CORRUPT_CHUNK') return { accepted: false, reason: 'malformed', detail: err.message };
      this.releaseNamedChunk(frameBytes);
      return { accepted: false, reason: 'corrupt', detail: err.message };
    }
    if (frame.session !== this.target.session)
      return {
        accepted: false,
        reason: 'session',
        detail: `session ${frame.session}, expected ${this.target.session}`,
      };
    const index = this.planner.indexOf(frame.offset, frame.payload.length);
    const end = frame.offset + frame.payload.length;
    if (index === undefined || frame.last !== (end === this.target.size))
      return {
        accepted: false,
        reason: 'offset',
        detail: `bytes ${frame.offset}-${end}${frame.last ? ' (last)' : ''} are not a chunk of ${this.target.size} bytes at ${this.target.chunkSize}`,
      };
    if (this.planner.has(index)) {
      this.planner.release(index);
      return { accepted: false, reason: 'duplicate', detail: `chunk at ${frame.offset} already stored` };
    }
    this.buffer?.set(frame.payload, frame.offset);
    this.planner.markReceived(index);
    return {
      accepted: true,
      offset: frame.offset,
      received: this.planner.receivedBytes,
      complete: this.complete,
    };
  }

  /**
   * A corrupt frame's header is usually intact (most damage hits the larger payload), so
   * free the chunk it names for an immediate re-request instead of waiting for the timeout.
   * If the header was the damaged part, the worst case is one redundant request.
   */
  private releaseNamedChunk(frameBytes: Uint8Array): void {
    const v = new DataView(frameBytes.buffer, frameBytes.byteOffset, frameBytes.byteLength);
    const index = this.planner.indexOf(v.getUint32(8), v.getUint32(12));
    if (index !== undefined && !this.planner.has(index)) this.planner.release(index);
  }

  /** Marks the first `prefix.length` bytes as received (a partial slot kept across a reboot). */
  resume(prefix: Uint8Array): void {
    if (prefix.length > this.target.size)
      throw new ProtocolError(
        'INVALID_MESSAGE',
        `resume prefix of ${prefix.length} bytes exceeds the artifact`,
      );
    this.buffer?.set(prefix, 0);
    for (let i = 0; i < this.planner.chunkCount; i++) {
      const r = this.planner.rangeOf(i);
      if (r.offset + r.length > prefix.length) break;
      this.planner.markReceived(i);
    }
  }

  get received(): number {
    return this.planner.receivedBytes;
  }

  get complete(): boolean {
    return this.planner.complete;
  }

  /** Bytes from offset 0 that are all received: what to persist, and where to resume. */
  get lastGoodOffset(): number {
    return this.planner.contiguousBytes;
  }

  /** The received prefix [0, lastGoodOffset), a view (copy it before keeping it). */
  prefix(): Uint8Array {
    return this.held().subarray(0, this.lastGoodOffset);
  }

  /** The verified artifact; throws INTEGRITY_FAILED when incomplete or the SHA-256 differs. */
  finish(): Uint8Array {
    if (!this.complete)
      throw new ProtocolError(
        'INTEGRITY_FAILED',
        `artifact incomplete: ${this.received} of ${this.target.size} bytes received; keep requesting`,
      );
    const bytes = this.held();
    const actual = sha256Hex(bytes);
    if (actual !== this.target.sha256)
      throw new ProtocolError(
        'INTEGRITY_FAILED',
        `artifact SHA-256 is ${actual}, the offer says ${this.target.sha256}; discard it and keep the active model`,
      );
    return bytes;
  }

  private held(): Uint8Array {
    if (!this.buffer)
      throw new Error(
        'this ChunkAssembler was made with holdBytes: false; read the bytes where they were written',
      );
    return this.buffer;
  }
}
