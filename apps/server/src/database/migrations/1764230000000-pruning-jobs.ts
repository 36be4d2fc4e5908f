import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from './column-types';

export class PruningJobs1764230000000 implements MigrationInterface {
  name = 'PruningJobs1764230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, str, int, json, time } = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'pruning_jobs',
        columns: [
          id(),
          str('model_version_id', 64),
          json('profiles'),
          json('options'),
          str('status', 16),
          { ...json('progress'), isNullable: true },
          json('results'),
          str('error', 2000, true),
          int('attempts', 0),
          time('created_at'),
          str('started_at', 32, true),
          str('finished_at', 32, true),
        ],
        indices: [{ columnNames: ['status'] }],
        foreignKeys: [
          {
            columnNames: ['model_version_id'],
            referencedTableName: 'model_versions',
            referencedColumnNames: ['id'],
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pruning_jobs');
  }
}
