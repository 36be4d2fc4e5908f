import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  channelTopic,
  encodeStatus,
  encodeTelemetry,
  statusWill,
  TelemetryWindow,
} from '@fleetprune/protocol';
import { connectAsync, MqttClient } from 'mqtt';
import type { RunningServer } from '../apps/server/src/create-server';
import { TelemetryRetentionService } from '../apps/server/src/telemetry/telemetry-retention.service';
import { TelemetryRollupsService } from '../apps/server/src/telemetry/telemetry-rollups.service';
import { api, eventually, startServer, tempDataDir } from './helpers';

jest.setTimeout(60_000);

const MODEL = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite', 'hello_world_int8.tflite');
const VERSION = 'hw-1';

interface BareDevice {
  id: string;
  client: MqttClient;
  sent: TelemetryWindow[];
  /** Publishes a valid window (QoS 1, waits for PUBACK) and remembers it. */
  send(seq: number, overrides?: Partial<TelemetryWindow>): Promise<void>;
  /** Publishes arbitrary bytes on its own telemetry topic. */
  raw(payload: string): Promise<void>;
}

/** A window whose numbers vary with seq, so the sums below are not guessable constants. */
function windowFor(seq: number, artifactId: string): TelemetryWindow {
  const samples = 3 + ((seq * 5) % 17);
  const labelled = samples - (seq % 3);
  const histogram = Array.from({ length: 10 }, () => 0);
  for (let s = 0; s < samples; s++) histogram[(seq + s * 7) % 10]++;
  return {
    v: 1,
    seq,
    artifactId,
    modelVersion: VERSION,
    windowStart: 0, // no device clock: the server's arrival time places the window
    windowEnd: 0,
    samples,
    labelled,
    correct: Math.floor((labelled * 2) / 3),
    confidenceHistogram: histogram,
    latencyMeanMs: 1 + (seq % 4) * 0.5,
    latencyP95Ms: 2 + (seq % 6),
    arenaUsedBytes: 1500 + seq,
  };
}

describe('telemetry ingestion (server + embedded broker + bare protocol devices)', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let artifactId: string;
  const clients: MqttClient[] = [];

  async function device(name: string, runs = true): Promise<BareDevice> {
    const registered = await call('POST', '/api/devices', { name, profile: 'rpi-4' });
    const { username, password } = registered.json.mqtt;
    const client = await connectAsync(server.mqttUrl, {
      username,
      password,
      clientId: username,
      will: statusWill(username),
      reconnectPeriod: 0,
    });
    clients.push(client);
    const status = runs
      ? { v: 1 as const, state: 'online' as const, activeArtifactId: artifactId, activeModelVersion: VERSION }
      : { v: 1 as const, state: 'online' as const };
    await client.publishAsync(channelTopic(username, 'status'), encodeStatus(status), {
      qos: 1,
      retain: true,
    });
    if (runs)
      await eventually(
        async () => (await call('GET', `/api/devices/${username}`)).json.activeArtifactId === artifactId,
      );
    const sent: TelemetryWindow[] = [];
    return {
      id: username,
      client,
      sent,
      send: async (seq, overrides = {}) => {
        const w = { ...windowFor(seq, artifactId), ...overrides };
        sent.push(w);
        await client.publishAsync(channelTopic(username, 'telemetry'), encodeTelemetry(w), { qos: 1 });
      },
      raw: async (payload) => {
        await client.publishAsync(channelTopic(username, 'telemetry'), Buffer.from(payload), { qos: 1 });
      },
    };
  }

  const stats = async () => (await call('GET', '/api/telemetry/stats')).json;
  const handled = (s: { accepted: number; duplicates: number; rejected: Record<string, number> }) =>
    s.accepted + s.duplicates + Object.values(s.rejected).reduce((a, b) => a + b, 0);
  /** Sums of the distinct windows a device sent (the oracle the rollups must match). */
  const sums = (windows: TelemetryWindow[]) => {
    const distinct = [...new Map(windows.map((w) => [w.seq, w])).values()];
    const samples = distinct.reduce((a, w) => a + w.samples, 0);
    return {
      windows: distinct.length,
      samples,
      labelled: distinct.reduce((a, w) => a + w.labelled, 0),
      correct: distinct.reduce((a, w) => a + w.correct, 0),
      latencyMeanMs: distinct.reduce((a, w) => a + w.latencyMeanMs * w.samples, 0) / samples,
      latencyP95MaxMs: Math.max(...distinct.map((w) => w.latencyP95Ms)),
      confidenceHistogram: Array.from({ length: 10 }, (_, i) =>
        distinct.reduce((a, w) => a + w.confidenceHistogram[i], 0),
      ),
    };
  };

  beforeAll(async () => {
    // Tiny retention (3.6 s raw, 86.4 s rollups); sweeps run at boot and when the test asks.
    server = await startServer(dataDir, {
      TELEMETRY_RAW_RETENTION_H: '0.001',
      TELEMETRY_ROLLUP_RETENTION_D: '0.001',
    });
    call = api(server);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(MODEL))]), 'hello_world_int8.tflite');
    form.append('modelVersion', VERSION);
    const uploaded = await call('POST', '/api/artifacts', form);
    expect(uploaded.status).toBe(201);
    artifactId = uploaded.json.id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server?.app.close();
  });

  let quiet: BareDevice;

  it('stores windows once (a republished seq is a duplicate) and rolls them up to the raw sums', async () => {
    quiet = await device('quiet');
    for (let seq = 0; seq < 10; seq++) await quiet.send(seq);
    for (let seq = 0; seq < 5; seq++) await quiet.send(seq); // QoS 1 redeliveries
    await eventually(async () => handled(await stats()) === 15);
    expect(await stats()).toMatchObject({ accepted: 10, duplicates: 5, rejected: {} });

    const raw = (await call('GET', `/api/telemetry?deviceId=${quiet.id}&limit=100`)).json;
    expect(raw).toHaveLength(10);
    const expected = sums(quiet.sent);
    const [summary] = (await call('GET', `/api/telemetry/summary?groupBy=device&deviceId=${quiet.id}`)).json;
    expect(summary).toMatchObject({
      key: quiet.id,
      windows: expected.windows,
      samples: expected.samples,
      labelled: expected.labelled,
      correct: expected.correct,
      latencyP95MaxMs: expected.latencyP95MaxMs,
    });
    expect(summary.accuracy).toBeCloseTo(expected.correct / expected.labelled, 12);
    expect(summary.latencyMeanMs).toBeCloseTo(expected.latencyMeanMs, 9);
    // The same in a coarse time series (one day buckets hold everything), and by profile.
    const series = (await call('GET', '/api/telemetry/rollups?groupBy=profile&bucketS=86400')).json;
    expect(series).toEqual([
      expect.objectContaining({
        key: 'rpi-4',
        windows: expected.windows,
        samples: expected.samples,
        confidenceHistogram: expected.confidenceHistogram,
      }),
    ]);
    expect(series[0].bucketStart % 86_400_000).toBe(0);
    const totals = await server.app.get(TelemetryRollupsService).accuracyTotals({
      profile: 'rpi-4',
      deviceIds: [quiet.id, ...Array.from({ length: 1200 }, (_, i) => `absent-${i}`)],
      since: 0,
    });
    expect(totals).toEqual({
      windows: expected.windows,
      samples: expected.samples,
      labelled: expected.labelled,
      correct: expected.correct,
    });
    expect((await call('GET', '/api/telemetry/rollups?bucketS=90')).status).toBe(400);
  });

  it('rejects and counts bad windows, never storing them; the broker refuses another device topic', async () => {
    const bad = await device('bad');
    const good = windowFor(0, artifactId);
    await bad.raw(JSON.stringify({ ...good, correct: good.labelled + 1 })); // correct > labelled
    await bad.raw(JSON.stringify({ ...good, seq: 1, samples: String(good.samples) })); // wrong type
    await bad.raw('{"v":1,"seq":'); // not JSON
    await bad.send(3, { artifactId: 'no-such-artifact' });
    await bad.send(4, { modelVersion: 'hw-2' });
    const stranger = await device('stranger', false);
    await stranger.send(5); // an artifact this device does not run
    await eventually(async () => handled(await stats()) === 21);
    expect((await stats()).rejected).toEqual({
      INVALID_MESSAGE: 3,
      UNKNOWN_ARTIFACT: 2,
      UNKNOWN_MODEL_VERSION: 1,
    });

    // Publishing into the quiet device's topic: the ACL refuses it and aedes drops the connection.
    const closed = new Promise<void>((resolve) => bad.client.once('close', () => resolve()));
    bad.client.publish(channelTopic(quiet.id, 'telemetry'), encodeTelemetry(windowFor(99, artifactId)), {
      qos: 1,
    });
    await closed;
    await new Promise((r) => setTimeout(r, 600)); // longer than a flush
    expect(handled(await stats())).toBe(21);
    expect((await call('GET', `/api/telemetry?deviceId=${quiet.id}`)).json).toHaveLength(10);
    for (const id of [bad.id, stranger.id])
      expect((await call('GET', `/api/telemetry?deviceId=${id}`)).json).toEqual([]);
  });

  it('rate-limits a flooding device while a quiet one gets every window through', async () => {
    const flood = await device('flood');
    const before = await stats();
    const started = Date.now();
    const flooding = Promise.all(Array.from({ length: 300 }, (_, seq) => flood.send(seq)));
    for (let seq = 10; seq < 20; seq++) {
      await quiet.send(seq);
      await new Promise((r) => setTimeout(r, 250)); // 4/s: under the 5/s limit
    }
    await flooding;
    const elapsedS = (Date.now() - started) / 1000;
    await eventually(async () => handled(await stats()) === handled(before) + 310);
    const after = await stats();
    const limited = (after.rejected.RATE_LIMITED ?? 0) - (before.rejected.RATE_LIMITED ?? 0);
    const floodStored = (await call('GET', `/api/telemetry?deviceId=${flood.id}&limit=1000`)).json.length;
    expect(floodStored + limited).toBe(300);
    expect(floodStored).toBeGreaterThanOrEqual(20); // the burst
    expect(floodStored).toBeLessThanOrEqual(20 + Math.ceil(5 * elapsedS) + 1);
    expect((await call('GET', `/api/telemetry?deviceId=${quiet.id}&limit=100`)).json).toHaveLength(20);
  });

  it('deletes raw windows past their retention while rollups keep the totals, then rollups too', async () => {
    const retention = server.app.get(TelemetryRetentionService);
    const rollupsBefore = (await call('GET', '/api/telemetry/summary?groupBy=device')).json;
    const rawBefore = (await call('GET', '/api/telemetry?limit=10000')).json.length;
    expect(rawBefore).toBeGreaterThan(0);
    // Nothing is old enough yet, except what arrived more than 3.6 s ago.
    const newest = Math.max(
      ...(await call('GET', '/api/telemetry?limit=10000')).json.map(
        (w: { receivedAt: number }) => w.receivedAt,
      ),
    );
    const swept = await retention.sweep(newest + 3600 + 1);
    expect(swept).toEqual({ rawDeleted: rawBefore, rollupsDeleted: 0 });
    expect((await call('GET', '/api/telemetry?limit=10000')).json).toEqual([]);
    expect((await call('GET', '/api/telemetry/summary?groupBy=device')).json).toEqual(rollupsBefore);

    const later = await retention.sweep(newest + 86_400 + 60_000 + 1);
    expect(later.rollupsDeleted).toBeGreaterThan(0);
    expect((await call('GET', '/api/telemetry/summary?groupBy=device')).json).toEqual([]);
  });
});
