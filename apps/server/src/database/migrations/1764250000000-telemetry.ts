import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class Telemetry1764250000000 implements MigrationInterface {
  name = 'Telemetry1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const big = (name: string) => ({ name, type: 'bigint' });
    await queryRunner.createTable(
      new Table({
        name: 'telemetry_windows',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'device_id', type: 'varchar', length: '64' },
          big('seq'),
          { name: 'artifact_id', type: 'varchar', length: '64' },
          { name: 'model_version', type: 'varchar', length: '64' },
          big('window_start'),
          big('window_end'),
          { name: 'samples', type: 'integer' },
          { name: 'labelled', type: 'integer' },
          { name: 'correct', type: 'integer' },
          { name: 'confidence_histogram', type: 'text' },
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
