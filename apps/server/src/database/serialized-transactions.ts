import type { DataSource, EntityManager } from 'typeorm';

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * TypeORM's SQLite driver runs every query on one connection and one query runner, so two
 * transactions started concurrently interleave (the second becomes a savepoint inside the
 * first, or fails with "cannot start a transaction within a transaction", and whichever
 * commits first commits the other's half). `save` and `remove` open a transaction of their
 * own, so they are queued too. Queueing restores one-at-a-time transactions; PostgreSQL has a
 * pool and needs none of this. Inside a transaction use its `em`, never a repository's
 * save: that would wait for the transaction it runs in.
 */
export function serializeTransactions(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const manager = dataSource.manager;
  let tail: Promise<unknown> = Promise.resolve();
  const queued = (original: AnyFn): AnyFn => {
    return (...args: unknown[]) => {
      const run = tail.then(() => original(...args));
      tail = run.catch(() => undefined);
      return run;
    };
  };
  const target = manager as unknown as Record<string, AnyFn>;
  for (const method of ['transaction', 'save', 'remove', 'softRemove', 'recover'] as const)
    target[method] = queued((manager[method] as AnyFn).bind(manager));
  return dataSource as DataSource & { manager: EntityManager };
}
