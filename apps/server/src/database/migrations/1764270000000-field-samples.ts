import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from './column-types';

export class FieldSamples1764270000000 implements MigrationInterface {
  name = 'FieldSamples1764270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { str, int, big, json, serial } = columns(queryRunner);
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'field_samples',
        columns: [
          serial(),
          str('device_id', 64),
          str('profile', 64),
          str('artifact_id', 64),
          str('model_version', 64),
          { name: 'label', type: 'integer', isNullable: true },
          int('predicted'),
          { name: 'confidence', type: 'real' },
          json('shape'),
          str('dtype', 8),
          // Raw tensor bytes (at most MAX_SAMPLE_BYTES each), not base64.
          { name: 'data', type: postgres ? 'bytea' : 'blob' },
          big('captured_at'),
          big('received_at'),
        ],
        indices: [{ columnNames: ['profile', 'received_at'] }, { columnNames: ['device_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('field_samples');
  }
}
