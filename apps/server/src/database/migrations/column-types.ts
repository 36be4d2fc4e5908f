import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** Column helpers that resolve to the right type on SQLite and PostgreSQL. */
export function columns(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  return {
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '64', isPrimary: true }),
    /** An auto-incrementing integer key (append-only tables). */
    serial: (name = 'id'): TableColumnOptions => ({
      name,
      type: 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    int: (name: string, fallback?: number): TableColumnOptions => ({
      name,
      type: 'integer',
      default: fallback,
    }),
    big: (name: string): TableColumnOptions => ({ name, type: 'bigint' }),
    json: (name: string): TableColumnOptions => ({ name, type: 'text' }),
    bool: (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false }),
    time: (name: string): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamp' : 'datetime',
      default: postgres ? 'now()' : "datetime('now')",
    }),
  };
}
