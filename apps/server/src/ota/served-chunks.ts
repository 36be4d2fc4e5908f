/**
 * Which chunks of an artifact the server has sent in one session: distinct bytes served is
 * the download progress (re-requests after a drop or a bad CRC do not count twice).
 */
export class ServedChunks {
  private readonly sent: Uint8Array;
  private sentCount = 0;
  private byteCount = 0;

  constructor(
    readonly size: number,
    readonly chunkSize: number,
  ) {
    this.sent = new Uint8Array(Math.ceil(size / chunkSize));
  }

  /** Records a served range; returns true when it was new. */
  mark(offset: number, length: number): boolean {
    const index = Math.floor(offset / this.chunkSize);
    if (index >= this.sent.length || this.sent[index]) return false;
    this.sent[index] = 1;
    this.sentCount++;
    this.byteCount += Math.min(length, this.size - offset);
    return true;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get all(): boolean {
    return this.sentCount === this.sent.length;
  }
}
