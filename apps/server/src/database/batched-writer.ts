import type { EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/**
 * Batches updates of rows by id: every change queued in the same turn of the event loop is
 * committed in one transaction (a thousand devices reporting together cost one commit, not
 * a thousand). Each write resolves once its change is committed, so a caller that must
 * persist before acting (an offer's session number) awaits it.
 */
export class BatchedWriter<T extends ObjectLiteral> {
  private readonly queue = new Map<string, Partial<T>>();
  private pending: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly rows: Repository<T>) {}

  /** Queues `changes` to the row `id` (merged with changes already queued for it). */
  write(id: string, changes: Partial<T>): Promise<void> {
    this.queue.set(id, { ...this.queue.get(id), ...changes });
    if (!this.pending) {
      // Transactions run one after another: SQLite has a single connection.
      this.pending = this.tail
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => this.commit());
      this.tail = this.pending.catch(() => undefined);
    }
    return this.pending;
  }

  /** Resolves once everything queued so far is committed. */
  async drain(): Promise<void> {
    await this.pending;
    await this.tail;
  }

  private async commit(): Promise<void> {
    this.pending = undefined;
    const batch = [...this.queue];
    this.queue.clear();
    if (batch.length === 0) return;
    const target: EntityTarget<T> = this.rows.target;
    await this.rows.manager.transaction(async (em) => {
      for (const [id, changes] of batch) await em.update(target, { id }, changes);
    });
  }
}
