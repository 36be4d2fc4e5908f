import * as sqlite3 from 'sqlite3';

/**
 * node-sqlite3 as TypeORM's driver, minus its verbose mode. TypeORM calls `verbose()` on
 * whatever driver it gets, and verbose mode wraps every query to capture a stack trace and
 * util.inspect each argument (a batched writer's JSON parameter of a thousand rows included):
 * about a tenth of the server's CPU during a 1,000-device OTA rollout. Failed queries still
 * name their SQL through TypeORM's QueryFailedError.
 */
export const quietSqlite3: typeof sqlite3 = Object.create(sqlite3, {
  // A new own property, not an assignment: the module namespace's `verbose` is a getter.
  verbose: { value: () => quietSqlite3 },
}) as typeof sqlite3;
