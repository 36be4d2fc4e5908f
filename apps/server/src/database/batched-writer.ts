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
    const statements = this.sqlite
      ? this.jsonStatements(batch)
      : batch.map(([id, c]) => this.rowStatement(id, c));
    await this.rows.manager.transaction(async (em) => {
      for (const { sql, params } of statements) await em.query(sql, params);
    });
  }

  private get sqlite(): boolean {
    return this.rows.manager.connection.options.type !== 'postgres';
  }

  /** The column of each changed property; only mapped properties can be written. */
  private columnOf(property: string): string {
    const column = this.rows.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${this.rows.metadata.name} has no column for property ${property}`);
    return `"${column.databaseName}"`;
  }

  private get table(): string {
    return `"${this.rows.metadata.tableName}"`;
  }

  private get idColumn(): string {
    return `"${this.rows.metadata.primaryColumns[0].databaseName}"`;
  }

  /**
   * PostgreSQL: a plain parameterised UPDATE per row (TypeORM's update() builds a query
   * builder per call, which costs more than the database's work for these one-row updates).
   */
  private rowStatement(id: string, changes: Partial<T>): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const sets = Object.entries(changes).map(([property, value]) => {
      params.push(value);
      return `${this.columnOf(property)} = $${params.length}`;
    });
    params.push(id);
    return {
      sql: `UPDATE ${this.table} SET ${sets.join(', ')} WHERE ${this.idColumn} = $${params.length}`,
      params,
    };
  }

  /**
   * SQLite: one `UPDATE … FROM json_each(?)` per set of changed columns, the rows as one JSON
   * parameter. node-sqlite3 runs every statement through a round trip to its worker thread and
   * converts each bound value on the event loop, which for a thousand one-row updates cost more
   * main-thread time than the writes themselves (see telemetry-batch-sql.ts).
   */
  private jsonStatements(batch: [string, Partial<T>][]): { sql: string; params: unknown[] }[] {
    const byShape = new Map<string, { properties: string[]; rows: unknown[][] }>();
    for (const [id, changes] of batch) {
      const properties = Object.keys(changes);
      const shape = properties.join('\0');
      let group = byShape.get(shape);
      if (!group) byShape.set(shape, (group = { properties, rows: [] }));
      group.rows.push([id, ...properties.map((p) => sqliteValue(changes[p]))]);
    }
    return [...byShape.values()].map(({ properties, rows }) => {
      const sets = properties.map((p, i) => `${this.columnOf(p)} = json_extract(j.value, '$[${i + 1}]')`);
      return {
        sql:
          `UPDATE ${this.table} SET ${sets.join(', ')} FROM json_each(?) AS j ` +
          `WHERE ${this.table}.${this.idColumn} = json_extract(j.value, '$[0]')`,
        params: [JSON.stringify(rows)],
      };
    });
  }
}

/** What node-sqlite3 would have stored for a bound value, as a JSON value. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}
