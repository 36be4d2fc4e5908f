import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from './column-types';

/** Telemetry rollups (one row per bucket, device and artifact), and an index for raw retention. */
export class TelemetryRollups1764260000000 implements MigrationInterface {
  name = 'TelemetryRollups1764260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { str, big, serial } = columns(queryRunner);
    // PostgreSQL's `real` is 4 bytes: a latency sum over millions of samples needs 8.
    const double = (name: string) => ({ name, type: 'double precision' });
    await queryRunner.createTable(
      new Table({
        name: 'telemetry_rollups',
        columns: [
          serial(),
          big('bucket_start'),
          str('device_id', 64),
          str('artifact_id', 64),
          str('profile', 64),
          str('model_version', 64),
          big('windows'),
          big('samples'),
          big('labelled'),
          big('correct'),
          double('latency_sum_ms'),
          double('latency_p95_max_ms'),
          big('arena_max_bytes'),
          ...Array.from({ length: 10 }, (_, i) => big(`confidence_${i}`)),
        ],
        indices: [
          { columnNames: ['bucket_start', 'device_id', 'artifact_id'], isUnique: true },
          { columnNames: ['device_id', 'bucket_start'] },
          { columnNames: ['artifact_id', 'bucket_start'] },
          { columnNames: ['profile', 'bucket_start'] },
        ],
      }),
    );
    // Raw retention deletes by arrival time.
    await queryRunner.createIndex(
      'telemetry_windows',
      new TableIndex({ name: 'IDX_telemetry_windows_received_at', columnNames: ['received_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('telemetry_windows', 'IDX_telemetry_windows_received_at');
    await queryRunner.dropTable('telemetry_rollups');
  }
}
