import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceAgent, DeviceAgentInit } from '@fleetprune/devices';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, freePort, registerAgent, startServer, tempDataDir } from './helpers';
import { cli } from './support/cli-runner';
import { MqttFaultProxy } from './support/mqtt-fault-proxy';

// The OTA faults issue 5 names, on the real server (SQLite file, embedded aedes broker) and
// real simulated devices, with network faults injected by a TCP proxy that parses MQTT.
jest.setTimeout(120_000);

const TESTDATA = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite');
const PERSON = join(TESTDATA, 'person_detect.tflite');
const PERSON_BYTES = readFileSync(PERSON).length;
const CHUNK = 4096;
const CHUNKS = Math.ceil(PERSON_BYTES / CHUNK);
const WINDOW = 8;

describe('OTA faults: real server, simulated devices, injected network faults', () => {
  const dataDir = tempDataDir();
  const stateDir = tempDataDir('fleetprune-devices-');
  let mqttPort: number;
  let server: RunningServer;
  let proxy: MqttFaultProxy;
  let proxyUrl: string;
  let auth: string[];
  const agents: DeviceAgent[] = [];

  const boot = async () => {
    server = await startServer(dataDir, { MQTT_PORT: String(mqttPort), OTA_SESSION_TIMEOUT_S: '20' });
    auth = ['--server', server.httpUrl, '--token', server.token];
  };

  /** Registers a device and returns an agent for it (not started), connecting through the proxy. */
  const device = async (name: string, group: string, extra: Partial<DeviceAgentInit> = {}) => {
    const { agent } = await registerAgent(
      server,
      { name, group },
      {
        mqttUrl: proxyUrl,
        stateDir,
        reconnectPeriodMs: 200,
        requestTimeoutMs: 1000,
        window: WINDOW,
        ...extra,
      },
    );
    agents.push(agent);
    return agent;
  };

  const deploymentOf = async (id: string) => (await api(server)('GET', `/api/deployments/${id}`)).json;

  beforeAll(async () => {
    mqttPort = await freePort();
    await boot();
    proxy = new MqttFaultProxy(mqttPort);
    proxyUrl = await proxy.start();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop({ abrupt: true }).catch(() => undefined)));
    await proxy?.stop();
    await server?.app.close();
  });

  let artifactId: string;

  it('resumes after a corrupted chunk and a dropped connection, re-fetching only what was in flight (CLI upload, deploy, --wait)', async () => {
    const agent = await device('pi-fault', 'faults');
    await agent.start();
    const uploaded = await cli('artifacts', 'upload', PERSON, '--model-version', 'person-1', ...auth);
    expect(uploaded.code).toBe(0);
    artifactId = uploaded.out.trim();
    expect(uploaded.err).toMatch(/arena \d+ B \(32-bit\)/);

    let chunks = 0;
    proxy.setFault((topic) => {
      if (!topic.endsWith('/ota/chunk')) return 'pass';
      chunks++;
      if (chunks === 5) return 'corrupt';
      return chunks === 30 ? 'cut' : 'pass';
    });
    const deploy = await cli(
      'deploy',
      '--artifact',
      artifactId,
      '--target',
      'group:faults',
      '--chunk-size',
      String(CHUNK),
      ...auth,
    );
    expect(deploy.code).toBe(0);
    const deploymentId = deploy.out.trim();
    const waited = await cli('deployments', 'show', deploymentId, '--wait', ...auth);
    expect(waited.code).toBe(0);
    expect(waited.out).toMatch(/completed.*1\/1 activated/);
    proxy.setFault(() => 'pass');

    expect(proxy.corrupted).toBe(1);
    expect(proxy.cuts).toBe(1);
    expect(agent.state.activeArtifactId).toBe(artifactId);
    expect(agent.counters.chunksRejected.corrupt).toBe(1);
    expect(agent.counters.connects).toBe(2);
    // Every chunk stored once; re-fetched: the corrupt one, and at most the window in flight at
    // the cut (asked again by the agent, and resent once more by mqtt.js as unacknowledged QoS 1).
    expect(agent.counters.chunksAccepted).toBe(CHUNKS);
    expect(agent.counters.requestsSent).toBeLessThanOrEqual(CHUNKS + 1 + 2 * WINDOW);
    const shown = await deploymentOf(deploymentId);
    expect(shown.sessions).toEqual([
      expect.objectContaining({ state: 'activated', attempts: 1, percent: 100 }),
    ]);
  });

  it('gives an offline device the update when it returns, and refuses a model too large for a device with the reason', async () => {
    const online = await device('pi-online', 'returns');
    const offline = await device('pi-offline', 'returns');
    const small = await device('pi-small-slot', 'returns', { slotBytes: 100_000 });
    await online.start();
    await small.start();
    const activated = online.events.waitFor('activated', () => true, 30_000);
    const refusal = small.events.waitFor('result', () => true, 30_000);
    const created = await api(server)('POST', '/api/deployments', {
      artifactId,
      target: 'group:returns',
      chunkSize: CHUNK,
    });
    expect(created.status).toBe(201);
    await activated;
    const refused = await refusal;
    expect(refused).toMatchObject({ outcome: 'refused', reason: 'TOO_LARGE' });
    expect(small.state.activeArtifactId).toBeUndefined();
    await eventually(async () => {
      const counts = (await deploymentOf(created.json.id)).counts;
      return counts.refused === 1 && counts.activated === 1;
    });
    const midway = await deploymentOf(created.json.id);
    expect(midway.status).toBe('active');
    expect(midway.counts).toMatchObject({ activated: 1, refused: 1, pending: 1 });

    const returned = offline.events.waitFor('activated', () => true, 30_000);
    await offline.start();
    await returned;
    await eventually(async () => (await deploymentOf(created.json.id)).status !== 'active', 10_000);
    const waited = await cli('deployments', 'show', created.json.id, '--wait', ...auth);
    expect(waited.code).toBe(1);
    expect(waited.err).toMatch(/deployment failed:\n.*refused TOO_LARGE/);
    expect(offline.state.activeArtifactId).toBe(artifactId);
  });

  it('continues a rollout across a server restart, resuming the download in progress', async () => {
    const fleet = await Promise.all(['pi-r1', 'pi-r2', 'pi-r3'].map((name) => device(name, 'restart')));
    await Promise.all(fleet.map((a) => a.start()));
    // One device downloads at a time; the first stalls a third of the way in (its chunks are
    // lost) so the restart lands mid-download however fast the machine is.
    let chunks = 0;
    proxy.setFault((topic) => (topic.endsWith('/ota/chunk') && ++chunks > CHUNKS / 3 ? 'drop' : 'pass'));
    const created = await api(server)('POST', '/api/deployments', {
      artifactId,
      target: 'group:restart',
      chunkSize: CHUNK,
      maxConcurrent: 1,
    });
    expect(created.status).toBe(201);
    // Stop the server while one device is part-way through its download.
    await eventually(
      async () => fleet.some((a) => (a.state.received ?? 0) > PERSON_BYTES / 4 && a.state.downloading),
      30_000,
    );
    const interrupted = fleet.find((a) => a.state.downloading) as DeviceAgent;
    const rowOf = (view: { sessions: { deviceId: string }[] }) =>
      view.sessions.find((s) => s.deviceId === interrupted.options.deviceId) as Record<string, unknown>;
    await eventually(async () => rowOf(await deploymentOf(created.json.id)).state === 'downloading', 5000);
    await server.app.close();
    await boot();
    proxy.setFault(() => 'pass');
    await eventually(async () => (await deploymentOf(created.json.id)).status === 'completed', 60_000);
    const after = await deploymentOf(created.json.id);
    expect(after.counts.activated).toBe(3);
    for (const agent of fleet) expect(agent.state.activeArtifactId).toBe(artifactId);
    // Resumed in the same session: no second offer, every chunk stored exactly once.
    expect(rowOf(after).attempts).toBe(1);
    expect(interrupted.counters.chunksAccepted).toBe(CHUNKS);
  });

  it('cancels a rollout mid-download: the device stops and keeps its model', async () => {
    const agent = await device('pi-cancel', 'cancel');
    await agent.start();
    const created = await api(server)('POST', '/api/deployments', {
      artifactId,
      target: 'group:cancel',
      chunkSize: 256,
    });
    await eventually(async () => (agent.state.received ?? 0) > 0, 30_000);
    const stopped = agent.events.waitFor('result', () => true, 10_000);
    const cancelled = await cli('deployments', 'cancel', created.json.id, ...auth);
    expect(cancelled.out).toMatch(/cancelled/);
    const result = await stopped;
    expect(result).toMatchObject({ outcome: 'failed', reason: 'CANCELLED' });
    expect(agent.state.activeArtifactId).toBeUndefined();
    const shown = await deploymentOf(created.json.id);
    expect(shown.status).toBe('cancelled');
    expect(shown.sessions[0]).toMatchObject({ state: 'cancelled', reason: 'CANCELLED' });
  });
});
