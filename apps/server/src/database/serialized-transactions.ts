import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite driver runs every query on one connection, so two transactions started
 * concurrently interleave (the second becomes a savepoint inside the first, and whichever
 * commits first commits the other's half). Queueing them restores one-at-a-time transactions;
 * PostgreSQL has a pool and needs none of this.
 */
export function serializeTransactions(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as EntityManager['transaction'];
  return dataSource;
}
