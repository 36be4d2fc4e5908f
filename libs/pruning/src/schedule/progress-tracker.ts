import { PruneProgress } from './prune-options';

/** Counts batches against the epoch budget and reports progress with an ETA. */
export class ProgressTracker {
  private done = 0;
  private readonly started = Date.now();
  private readonly every: number;

  constructor(
    private readonly total: number,
    private readonly listener?: (event: PruneProgress) => void,
  ) {
    // About 50 reports per run: enough for a progress bar, few enough to stay cheap.
    this.every = Math.max(1, Math.floor(total / 50));
  }

  /** One training batch finished. */
  batch(phase: PruneProgress['phase'], params: number, loss: number): void {
    this.done++;
    if (this.done % this.every === 0) this.emit({ phase, params, loss });
  }

  /** Reports an evaluation (always sent). */
  emit(event: Pick<PruneProgress, 'phase' | 'params' | 'loss' | 'valAccuracy'>): void {
    if (!this.listener) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const remaining = Math.max(0, this.total - this.done);
    const etaSeconds = this.done === 0 ? 0 : (elapsed / this.done) * remaining;
    this.listener({ ...event, step: Math.min(this.done, this.total), totalSteps: this.total, etaSeconds });
  }
}
