import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from './column-types';

export class Telemetry1764250000000 implements MigrationInterface {
  name = 'Telemetry1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { str, int, big, json, serial } = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'telemetry_windows',
        columns: [
          serial(),
          str('device_id', 64),
          big('seq'),
          str('artifact_id', 64),
          str('model_version', 64),
          big('window_start'),
          big('window_end'),
          int('samples'),
          int('labelled'),
          int('correct'),
          json('confidence_histogram'),
          { name: 'latency_mean_ms', type: 'real' },
          { name: 'latency_p95_ms', type: 'real' },
          big('arena_used_bytes'),
          big('received_at'),
        ],
        indices: [
          { columnNames: ['device_id', 'seq'], isUnique: true },
          { columnNames: ['artifact_id', 'window_end'] },
          { columnNames: ['window_end'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('telemetry_windows');
  }
}
