import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from './column-types';

export class InitialSchema1764220000000 implements MigrationInterface {
  name = 'InitialSchema1764220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'device_profiles',
        columns: [
          { ...c.str('name', 64), isPrimary: true },
          c.str('description', 256),
          c.int('flash_bytes'),
          c.int('ram_bytes'),
          c.int('clock_mhz'),
          c.big('macs_per_second'),
          c.int('latency_budget_ms'),
          c.json('supported_ops'),
          c.str('runtime', 16),
          c.bool('builtin'),
          c.time('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'devices',
        columns: [
          c.id(),
          c.str('name', 128),
          c.str('profile', 64),
          c.str('group_name', 64, true),
          { ...c.str('status', 16), default: "'provisioned'" },
          c.str('credential_hash', 64),
          c.str('last_seen_at', 32, true),
          c.time('created_at'),
          c.time('updated_at'),
        ],
        indices: [
          { columnNames: ['name'], isUnique: true },
          { columnNames: ['profile'] },
          { columnNames: ['group_name'] },
          { columnNames: ['status'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_tags',
        columns: [
          { ...c.str('device_id', 64), isPrimary: true },
          { ...c.str('tag', 64), isPrimary: true },
        ],
        indices: [{ columnNames: ['tag'] }],
        foreignKeys: [
          {
            columnNames: ['device_id'],
            referencedTableName: 'devices',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'artifacts',
        columns: [
          c.id(),
          c.str('kind', 16),
          c.json('files'),
          c.int('bytes'),
          c.json('metadata'),
          c.time('created_at'),
        ],
        indices: [{ columnNames: ['kind'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'models',
        columns: [c.id(), c.str('name', 128), c.str('dataset', 32, true), c.time('created_at')],
        indices: [{ columnNames: ['name'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'model_versions',
        columns: [
          c.id(),
          c.str('model_id', 64),
          c.int('version'),
          c.str('artifact_id', 64),
          c.json('input_shape'),
          c.json('output_shape'),
          c.int('param_count'),
          c.json('layer_classes'),
          c.str('parent_version_id', 64, true),
          c.time('created_at'),
        ],
        indices: [{ columnNames: ['model_id', 'version'], isUnique: true }],
        foreignKeys: [
          {
            columnNames: ['model_id'],
            referencedTableName: 'models',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          { columnNames: ['artifact_id'], referencedTableName: 'artifacts', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'model_versions',
      'models',
      'artifacts',
      'device_tags',
      'devices',
      'device_profiles',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
