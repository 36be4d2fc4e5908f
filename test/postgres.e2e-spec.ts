import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { RunningServer } from '../apps/server/src/create-server';
import { PendingWindow, TelemetryBatchStore } from '../apps/server/src/telemetry/telemetry-batch-store';
import { TelemetryRetentionService } from '../apps/server/src/telemetry/telemetry-retention.service';
import { TelemetryRollupsService } from '../apps/server/src/telemetry/telemetry-rollups.service';
import { api, eventually, registerAgent, startServer, tempDataDir } from './helpers';

const MODEL = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite', 'hello_world_int8.tflite');

jest.setTimeout(60_000);

/**
 * The scale path: the same migrations and API on PostgreSQL. `.ci/run` starts a local
 * PostgreSQL and sets FLEETPRUNE_TEST_DATABASE_URL (a database this test may drop and recreate).
 */
const url = process.env.FLEETPRUNE_TEST_DATABASE_URL;
const describeIfPostgres = url ? describe : describe.skip;
if (!url)
  console.warn('postgres.e2e-spec: FLEETPRUNE_TEST_DATABASE_URL is not set; .ci/run sets it (skipped here)');

async function recreateDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = target.pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

describeIfPostgres('fleet server on PostgreSQL', () => {
  let server: RunningServer;
  const dataDir = tempDataDir();
  const start = () => startServer(dataDir, { DATABASE_URL: url!, CLOSED_LOOP_TICK_S: '0.5' });

  afterAll(async () => server?.app.close());

  it('runs the migrations, serves the API and keeps data across a restart', async () => {
    await recreateDatabase(url!);
    server = await start();
    const health = await api(server, null)('GET', '/health');
    expect(health.json.database).toEqual({ up: true, type: 'postgres' });
    const registered = await api(server)('POST', '/api/devices', {
      name: 'pg-device',
      profile: 'esp32-s3',
      group: 'lab',
      tags: ['a', 'b'],
    });
    expect(registered.status).toBe(201);
    expect((await api(server)('GET', '/api/profiles/rpi-4')).json.macsPerSecond).toBe(8e9);
    await server.app.close();

    server = await start();
    const listed = await api(server)('GET', '/api/devices?tag=b');
    expect(listed.json.items.map((d: { name: string; group: string }) => [d.name, d.group])).toEqual([
      ['pg-device', 'lab'],
    ]);
    expect((await api(server)('GET', '/api/groups')).json).toEqual([{ name: 'lab', devices: 1, online: 0 }]);
  });

  it('runs an OTA deployment, stores telemetry (bigint columns) and a rollout with its audit trail', async () => {
    const call = api(server);
    const { id, agent } = await registerAgent(server, { name: 'pg-pi' });
    await agent.start();
    try {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(readFileSync(MODEL))]), 'hello_world_int8.tflite');
      const artifact = (await call('POST', '/api/artifacts', form)).json;
      const activated = agent.events.waitFor('activated', () => true, 20_000);
      const deployment = (
        await call('POST', '/api/deployments', { artifactId: artifact.id, target: 'device:' + id })
      ).json;
      await activated;
      await eventually(
        async () => (await call('GET', `/api/deployments/${deployment.id}`)).json.status === 'completed',
      );
      agent.inferOnce();
      agent.inferOnce();
      agent.flushTelemetry();
      await eventually(async () => (await call('GET', `/api/telemetry?deviceId=${id}`)).json.length === 1);
      const [window] = (await call('GET', `/api/telemetry?deviceId=${id}`)).json;
      expect(window).toMatchObject({ samples: 2, artifactId: artifact.id });
      expect(window.windowEnd).toBeGreaterThan(1.7e12); // epoch ms survive the bigint column as a number
      const summary = (await call('GET', '/api/telemetry/summary?groupBy=profile')).json;
      expect(summary).toEqual([expect.objectContaining({ key: 'rpi-4', windows: 1, samples: 2 })]);

      // Closed-loop tables: a staged rollout, a drift policy and the audit trail.
      const rollout = (
        await call('POST', '/api/rollouts', {
          artifactId: artifact.id,
          target: 'device:' + id,
          stages: [100],
        })
      ).json;
      await eventually(
        async () => (await call('GET', `/api/rollouts/${rollout.id}`)).json.status === 'completed',
        15_000,
      );
      const policy = await call('PUT', '/api/drift-policies/rpi-4', { targetAccuracy: 0.8, enabled: false });
      expect(policy.json).toMatchObject({
        profile: 'rpi-4',
        targetAccuracy: 0.8,
        enabled: false,
        canaryShare: 0.1,
      });
      const trail = (await call('GET', `/api/events?subject=rollout:${rollout.id}`)).json;
      expect(trail.map((e: { type: string }) => e.type)).toEqual([
        'rollout_started',
        'rollout_stage_started',
        'rollout_completed',
      ]);
      expect(trail[0].evidence).toMatchObject({ devices: 1, stages: [100] });
    } finally {
      await agent.stop();
    }
  });

  it('adds batches into the rollups with ON CONFLICT on PostgreSQL, duplicates once, and sweeps them', async () => {
    const dataSource = server.app.get(DataSource);
    const store = new TelemetryBatchStore(dataSource, 60_000);
    const at = Date.UTC(2025, 10, 27, 12, 0, 10);
    const window = (seq: number): PendingWindow => ({
      deviceId: 'pg-batch',
      seq,
      artifactId: 'pg-art',
      modelVersion: 'v1',
      profile: 'pg-profile',
      windowStart: 0,
      windowEnd: 0,
      receivedAt: at + seq * 100,
      samples: seq + 1,
      labelled: seq + 1,
      correct: seq,
      latencyMeanMs: 1.5,
      latencyP95Ms: seq,
      arenaUsedBytes: 4_000_000_000 + seq, // above int4: the bigint columns hold it
      confidenceHistogram: [seq + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(await store.write([window(0), window(1), window(1)])).toEqual({ inserted: 2, duplicates: 1 });
    expect(await store.write([window(1), window(2)])).toEqual({ inserted: 1, duplicates: 1 });
    const totals = await server.app.get(TelemetryRollupsService).accuracyTotals({
      artifactId: 'pg-art',
      deviceIds: ['pg-batch'],
      since: at - 60_000,
    });
    expect(totals).toEqual({ windows: 3, samples: 6, labelled: 6, correct: 3 });
    const [row] = (await api(server)('GET', '/api/telemetry/rollups?profile=pg-profile&groupBy=device')).json;
    expect(row).toMatchObject({ key: 'pg-batch', windows: 3, latencyP95MaxMs: 2, latencyMeanMs: 1.5 });
    expect(row.confidenceHistogram[0]).toBe(6);
    const swept = await server.app.get(TelemetryRetentionService).sweep(Date.now() + 400 * 86_400_000);
    expect(swept.rollupsDeleted).toBeGreaterThanOrEqual(1);
    expect(swept.rawDeleted).toBeGreaterThanOrEqual(3); // and the OTA case's window when it ran
  });
});
