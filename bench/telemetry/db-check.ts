// Reads the server's SQLite file directly (read-only; WAL lets it read beside the writer), so
// "stored" is counted in the database, not taken from the server's word.
import { Database, OPEN_READONLY } from 'sqlite3';

export interface StoredCounts {
  raw: number;
  rollupWindows: number;
  rollupSamples: number;
  rawSamples: number;
}

function get<T>(db: Database, sql: string, params: unknown[] = []): Promise<T> {
  return new Promise((resolve, reject) =>
    db.get(sql, params, (error, row) => (error ? reject(error) : resolve(row as T))),
  );
}

/** Opens the file, runs `work`, closes it. */
async function withDb<T>(path: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await new Promise<Database>((resolve, reject) => {
    const opened: Database = new Database(path, OPEN_READONLY, (error) =>
      error ? reject(error) : resolve(opened),
    );
  });
  try {
    return await work(db);
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

/** Devices whose stored active artifact is `artifactId`. */
export function countActive(path: string, artifactId: string): Promise<number> {
  return withDb(path, async (db) => {
    const row = await get<{ n: number }>(
      db,
      'SELECT COUNT(*) AS n FROM devices WHERE active_artifact_id = ?',
      [artifactId],
    );
    return row.n;
  });
}

/** Raw windows and rollup totals in the database. */
export function storedCounts(path: string): Promise<StoredCounts> {
  return withDb(path, async (db) => {
    const raw = await get<{ n: number; s: number }>(
      db,
      'SELECT COUNT(*) AS n, COALESCE(SUM(samples), 0) AS s FROM telemetry_windows',
    );
    const rollups = await get<{ w: number; s: number }>(
      db,
      'SELECT COALESCE(SUM(windows), 0) AS w, COALESCE(SUM(samples), 0) AS s FROM telemetry_rollups',
    );
    return { raw: raw.n, rawSamples: raw.s, rollupWindows: rollups.w, rollupSamples: rollups.s };
  });
}
