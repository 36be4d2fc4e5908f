import type { ObjectLiteral, Repository } from 'typeorm';

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
    await this.rows.manager.transaction(async (em) => {
      for (const [id, changes] of batch) {
        const { sql, params } = this.updateStatement(id, changes);
        await em.query(sql, params);
      }
    });
  }

  /**
   * A plain parameterised UPDATE: TypeORM's update() builds a query builder per call, which
   * costs more than SQLite's work for these one-row updates. Columns come from the entity
   * metadata, so only mapped properties can be written.
   */
  private updateStatement(id: string, changes: Partial<T>): { sql: string; params: unknown[] } {
    const metadata = this.rows.metadata;
    const postgres = this.rows.manager.connection.options.type === 'postgres';
    const escape = (name: string) => `"${name}"`;
    const params: unknown[] = [];
    const placeholder = () => (postgres ? `$${params.length}` : '?');
    const sets: string[] = [];
    for (const [property, value] of Object.entries(changes)) {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`${metadata.name} has no column for property ${property}`);
      params.push(value);
      sets.push(`${escape(column.databaseName)} = ${placeholder()}`);
    }
    params.push(id);
    const idColumn = metadata.primaryColumns[0].databaseName;
    return {
      sql: `UPDATE ${escape(metadata.tableName)} SET ${sets.join(', ')} WHERE ${escape(idColumn)} = ${placeholder()}`,
      params,
    };
  }
}
