import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';

describe('the server database on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-quiet-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates and answers queries without switching node-sqlite3 into verbose mode', async () => {
    // Verbose mode replaces these methods with stack-capturing wrappers; TypeORM asks for it.
    const before = [sqlite3.Database.prototype.all, sqlite3.Database.prototype.run];
    const dataSource = await new DataSource(databaseOptions(loadAppConfig({ DATA_DIR: dir }))).initialize();
    try {
      expect([sqlite3.Database.prototype.all, sqlite3.Database.prototype.run]).toEqual(before);
      expect(await dataSource.query('SELECT COUNT(*) AS n FROM devices')).toEqual([{ n: 0 }]);
      await expect(dataSource.query('SELECT * FROM no_such_table')).rejects.toThrow(/no such table/);
    } finally {
      await dataSource.destroy();
    }
  });
});
