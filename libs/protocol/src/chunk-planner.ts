import { MAX_CHUNK_SIZE, MAX_MODEL_SIZE } from './limits';
import { ProtocolError } from './protocol-error';

/** One chunk of an artifact: its index and byte range. */
export interface ChunkRange {
  index: number;
  offset: number;
  length: number;
}

/** What a device persists to resume a download after a reboot (bitmap in base64). */
export interface ChunkPlannerState {
  totalSize: number;
  chunkSize: number;
  received: string;
}

/**
 * Which chunks of an artifact a device has, which it has asked for, and which to ask for
 * next. Chunks sit at fixed boundaries (offset = index * chunkSize), so the received set is a
 * bitmap: 1 bit per chunk, 32 bytes for a 1 MB model at 4 KB chunks, cheap on a device.
 */
export class ChunkPlanner {
  readonly chunkCount: number;
  private readonly bits: Uint8Array;
  private readonly outstanding = new Set<number>();
  private receivedChunks = 0;
  private receivedByteCount = 0;
  /** Every chunk below this index is received; only moves up. */
  private firstMissing = 0;

  constructor(
    readonly totalSize: number,
    readonly chunkSize: number,
  ) {
    if (!Number.isSafeInteger(totalSize) || totalSize < 1 || totalSize > MAX_MODEL_SIZE)
      throw new ProtocolError('TOO_LARGE', `artifact size ${totalSize} must be 1-${MAX_MODEL_SIZE} bytes`);
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE)
      throw new ProtocolError('INVALID_MESSAGE', `chunk size ${chunkSize} must be 1-${MAX_CHUNK_SIZE} bytes`);
    this.chunkCount = Math.ceil(totalSize / chunkSize);
    this.bits = new Uint8Array(Math.ceil(this.chunkCount / 8));
  }

  /** Byte range of chunk `index`. */
  rangeOf(index: number): ChunkRange {
    const offset = index * this.chunkSize;
    return { index, offset, length: Math.min(this.chunkSize, this.totalSize - offset) };
  }

  /** The chunk that starts at `offset` and is `length` long, or undefined if none does. */
  indexOf(offset: number, length: number): number | undefined {
    if (offset % this.chunkSize !== 0 || offset >= this.totalSize) return undefined;
    const index = offset / this.chunkSize;
    return this.rangeOf(index).length === length ? index : undefined;
  }

  has(index: number): boolean {
    return (this.bits[index >> 3] & (1 << (index & 7))) !== 0;
  }

  /** Records chunk `index` as received; false if it already was. */
  markReceived(index: number): boolean {
    this.outstanding.delete(index);
    if (this.has(index)) return false;
    this.bits[index >> 3] |= 1 << (index & 7);
    this.receivedChunks++;
    this.receivedByteCount += this.rangeOf(index).length;
    while (this.firstMissing < this.chunkCount && this.has(this.firstMissing)) this.firstMissing++;
    return true;
  }

  /** Forgets that chunk `index` was requested, so next() asks for it again. */
  release(index: number): void {
    this.outstanding.delete(index);
  }

  /** Forgets every outstanding request (after a timeout or reconnect). */
  releaseAll(): void {
    this.outstanding.clear();
  }

  /** Up to `maxInFlight - outstanding` missing chunks, lowest first; marks them outstanding. */
  next(maxInFlight: number): ChunkRange[] {
    const picked: ChunkRange[] = [];
    for (let i = this.firstMissing; i < this.chunkCount && this.outstanding.size < maxInFlight; i++) {
      if (this.has(i) || this.outstanding.has(i)) continue;
      this.outstanding.add(i);
      picked.push(this.rangeOf(i));
    }
    return picked;
  }

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  get receivedBytes(): number {
    return this.receivedByteCount;
  }

  get complete(): boolean {
    return this.receivedChunks === this.chunkCount;
  }

  /** End of the received prefix: the "last good offset" a device that keeps no bitmap resumes from. */
  get contiguousBytes(): number {
    return Math.min(this.totalSize, this.firstMissing * this.chunkSize);
  }

  /** State to persist for a resume that keeps out-of-order chunks too. */
  snapshot(): ChunkPlannerState {
    return {
      totalSize: this.totalSize,
      chunkSize: this.chunkSize,
      received: Buffer.from(this.bits).toString('base64'),
    };
  }

  /** Rebuilds a planner from snapshot(); nothing is outstanding afterwards. */
  static restore(state: ChunkPlannerState): ChunkPlanner {
    const planner = new ChunkPlanner(state.totalSize, state.chunkSize);
    const bits = Buffer.from(state.received, 'base64');
    if (bits.length !== planner.bits.length)
      throw new ProtocolError(
        'INVALID_MESSAGE',
        `resume bitmap has ${bits.length} bytes, expected ${planner.bits.length}`,
      );
    for (let i = 0; i < planner.chunkCount; i++) if (bits[i >> 3] & (1 << (i & 7))) planner.markReceived(i);
    return planner;
  }
}
