import { Rng, seededRng, shuffledIndices } from '../seeded-rng';

/** Endless seeded mini-batches: a fresh permutation every epoch, last partial batch dropped. */
export class BatchSampler {
  private readonly rng: Rng;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;

  constructor(
    private readonly count: number,
    readonly batchSize: number,
    seed: number,
  ) {
    this.rng = seededRng(seed);
    this.batchSize = Math.min(batchSize, count);
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return Math.floor(this.count / this.batchSize);
  }

  next(): Int32Array {
    if (this.cursor + this.batchSize > this.order.length) {
      this.order = shuffledIndices(this.count, this.rng);
      this.cursor = 0;
    }
    const batch = this.order.subarray(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return batch;
  }
}
