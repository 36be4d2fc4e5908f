import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columns } from './column-types';

/** Staged rollouts, the audit trail, drift policies and closed-loop runs; deployments can pause. */
export class ClosedLoop1764280000000 implements MigrationInterface {
  name = 'ClosedLoop1764280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, str, int, big, json, bool, time, serial } = columns(queryRunner);
    const real = (name: string) => ({ name, type: 'real' });
    await queryRunner.addColumn('deployments', new TableColumn(bool('paused')));
    await queryRunner.createTable(
      new Table({
        name: 'rollouts',
        columns: [
          id(),
          str('artifact_id', 64),
          str('model_version', 64),
          str('target', 200),
          str('kind', 16),
          json('stages'),
          int('stage_index'),
          str('status', 16),
          bool('auto_advance'),
          json('device_ids'),
          json('previous_artifacts'),
          json('deployment_ids'),
          json('rollback_deployment_ids'),
          int('max_concurrent'),
          str('reason', 500, true),
          time('created_at'),
          str('updated_at', 32),
          str('finished_at', 32, true),
        ],
        indices: [{ columnNames: ['status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          serial(),
          big('at'),
          str('type', 32),
          str('profile', 64, true),
          str('subject', 100, true),
          str('message', 1000),
          json('evidence'),
        ],
        indices: [
          { columnNames: ['at'] },
          { columnNames: ['type'] },
          { columnNames: ['profile'] },
          { columnNames: ['subject'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'drift_policies',
        columns: [
          { ...id('profile') },
          bool('enabled'),
          real('target_accuracy'),
          int('window_s'),
          int('min_samples'),
          real('confidence'),
          int('cooldown_s'),
          real('reprune_relax'),
          real('reprune_epochs'),
          { name: 'reprune_train_limit', type: 'integer', isNullable: true },
          { name: 'reprune_test_limit', type: 'integer', isNullable: true },
          real('field_sample_share'),
          int('samples_per_device'),
          int('sample_wait_s'),
          real('canary_share'),
          int('canary_min_samples'),
          real('canary_margin'),
          int('canary_timeout_s'),
          time('created_at'),
          str('updated_at', 32),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'remediations',
        columns: [
          id(),
          str('profile', 64),
          str('state', 16),
          str('incumbent_artifact_id', 64),
          str('incumbent_model_version', 64),
          str('candidate_artifact_id', 64, true),
          str('pruning_job_id', 64, true),
          str('rollout_id', 64, true),
          json('evidence'),
          { ...json('canary_evidence'), isNullable: true },
          str('detail', 500, true),
          time('created_at'),
          str('updated_at', 32),
          str('finished_at', 32, true),
        ],
        indices: [{ columnNames: ['profile'] }, { columnNames: ['state'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['remediations', 'drift_policies', 'events', 'rollouts'])
      await queryRunner.dropTable(table);
    await queryRunner.dropColumn('deployments', 'paused');
  }
}
