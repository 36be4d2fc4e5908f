import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class PruningJobs1764230000000 implements MigrationInterface {
  name = 'PruningJobs1764230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const str = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    await queryRunner.createTable(
      new Table({
        name: 'pruning_jobs',
        columns: [
          { ...str('id', 64), isPrimary: true },
          str('model_version_id', 64),
          { name: 'profiles', type: 'text' },
          { name: 'options', type: 'text' },
          str('status', 16),
          { name: 'progress', type: 'text', isNullable: true },
          { name: 'results', type: 'text' },
          str('error', 2000, true),
          { name: 'attempts', type: 'integer', default: 0 },
          {
            name: 'created_at',
            type: postgres ? 'timestamp' : 'datetime',
            default: postgres ? 'now()' : "datetime('now')",
          },
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
