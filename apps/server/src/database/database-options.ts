import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { Artifact } from '../artifacts/artifact.entity';
import { DeviceTag } from '../devices/device-tag.entity';
import { Device } from '../devices/device.entity';
import { ModelVersion } from '../models/model-version.entity';
import { Model } from '../models/model.entity';
import { DeviceProfile } from '../profiles/device-profile.entity';
import { FieldSampleRow } from '../field-samples/field-sample.entity';
import { FieldSamples1764270000000 } from './migrations/1764270000000-field-samples';
import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';
import { PruningJobs1764230000000 } from './migrations/1764230000000-pruning-jobs';
import { PruningJob } from '../pruning-jobs/pruning-job.entity';
import { Deployments1764240000000 } from './migrations/1764240000000-deployments';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { TelemetryWindowRow } from '../telemetry/telemetry-window.entity';
import { Telemetry1764250000000 } from './migrations/1764250000000-telemetry';
import { TelemetryRollupRow } from '../telemetry/telemetry-rollup.entity';
import { TelemetryRollups1764260000000 } from './migrations/1764260000000-telemetry-rollups';
import { ClosedLoop1764280000000 } from './migrations/1764280000000-closed-loop';
import { Rollout } from '../rollouts/rollout.entity';
import { AuditEvent } from '../events/audit-event.entity';
import { DriftPolicy } from '../closed-loop/drift-policy.entity';
import { Remediation } from '../closed-loop/remediation.entity';
import { quietSqlite3 } from './quiet-sqlite3';

export const ENTITIES = [
  Device,
  DeviceTag,
  DeviceProfile,
  Model,
  ModelVersion,
  Artifact,
  PruningJob,
  Deployment,
  OtaSession,
  TelemetryWindowRow,
  TelemetryRollupRow,
  FieldSampleRow,
  Rollout,
  AuditEvent,
  DriftPolicy,
  Remediation,
];
export const MIGRATIONS = [
  InitialSchema1764220000000,
  PruningJobs1764230000000,
  Deployments1764240000000,
  Telemetry1764250000000,
  TelemetryRollups1764260000000,
  FieldSamples1764270000000,
  ClosedLoop1764280000000,
];

/**
 * SQLite in the data directory by default, PostgreSQL when DATABASE_URL is set. The schema
 * comes only from migrations, run at boot; `synchronize` stays off everywhere.
 */
export function databaseOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  };
  if (config.databaseUrl) {
    return { type: 'postgres', url: config.databaseUrl, ...common };
  }
  return {
    type: 'sqlite',
    driver: quietSqlite3,
    database: join(config.dataDir, 'fleetprune.sqlite'),
    // WAL keeps readers (dashboard, API) from blocking the telemetry writer; a busy timeout
    // turns brief lock contention into a wait instead of SQLITE_BUSY errors.
    enableWAL: true,
    busyTimeout: 5000,
    migrationsTransactionMode: 'each',
    ...common,
  };
}
