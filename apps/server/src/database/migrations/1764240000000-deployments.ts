import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columns } from './column-types';

export class Deployments1764240000000 implements MigrationInterface {
  name = 'Deployments1764240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, str, int, time } = columns(queryRunner);
    await queryRunner.addColumns('devices', [
      new TableColumn(str('active_artifact_id', 64, true)),
      new TableColumn(str('active_model_version', 64, true)),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'deployments',
        columns: [
          id(),
          str('artifact_id', 64),
          str('model_version', 64),
          str('target', 200),
          str('status', 16),
          int('chunk_size'),
          int('max_concurrent'),
          int('max_attempts'),
          int('size'),
          str('sha256', 64),
          str('signature', 256),
          time('created_at'),
          str('finished_at', 32, true),
        ],
        indices: [{ columnNames: ['artifact_id'] }, { columnNames: ['status'] }],
        foreignKeys: [
          { columnNames: ['artifact_id'], referencedTableName: 'artifacts', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ota_sessions',
        columns: [
          id(),
          str('deployment_id', 64),
          str('device_id', 64),
          int('session', 0),
          str('state', 16),
          int('attempts', 0),
          int('bytes_served', 0),
          str('reason', 32, true),
          str('detail', 300, true),
          str('updated_at', 32),
          str('finished_at', 32, true),
        ],
        indices: [{ columnNames: ['deployment_id'] }, { columnNames: ['device_id', 'state'] }],
        foreignKeys: [
          {
            columnNames: ['deployment_id'],
            referencedTableName: 'deployments',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          { columnNames: ['device_id'], referencedTableName: 'devices', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ota_sessions');
    await queryRunner.dropTable('deployments');
    await queryRunner.dropColumn('devices', 'active_model_version');
    await queryRunner.dropColumn('devices', 'active_artifact_id');
  }
}
