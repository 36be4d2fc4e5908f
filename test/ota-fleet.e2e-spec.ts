import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFashionMnist, take } from '@fleetprune/datasets';
import { RpiAgentProcess } from '@fleetprune/firmware';
import type { RunningServer } from '../apps/server/src/create-server';
import { trainFashionModel } from '../devices/src/testing/fashion-model';
import { api, eventually, startServer, tempDataDir } from './helpers';
import { cli } from './support/cli-runner';

// The whole OTA path with every real part: the server (SQLite, embedded broker), the CLI, the
// Raspberry Pi Python agent rendered by `fleetprune firmware` and run by Debian's python3
// (paho-mqtt, Arm NN), and `fleetprune sim` as a separate process; telemetry read back over HTTP.
jest.setTimeout(240_000);

const PYTHON = '/usr/bin/python3';
const ROOT = join(__dirname, '..');
const pythonReady = (() => {
  if (!existsSync(PYTHON)) return false;
  const probe = spawn(PYTHON, ['-c', 'import paho.mqtt, cryptography, pyarmnn']);
  return new Promise<boolean>((resolve) => probe.on('exit', (code) => resolve(code === 0)));
})();

/** Starts `fleetprune` from dist/ as its own process (what a user types); killed after `ms` at the latest. */
function cliProcess(args: string[], ms: number) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'fleetprune.js'), ...args], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
  return { child, done };
}

describe('OTA fleet: CLI, Raspberry Pi agent and fleetprune sim against the real server', () => {
  const dataDir = tempDataDir();
  const work = mkdtempSync(join(tmpdir(), 'fleetprune-fleet-'));
  let server: RunningServer;
  let auth: string[];
  let factoryId: string;
  let trainedId: string;
  const agents: RpiAgentProcess[] = [];

  beforeAll(async () => {
    server = await startServer(dataDir);
    auth = ['--server', server.httpUrl, '--token', server.token];
    const { train } = loadFashionMnist();
    const factory = await trainFashionModel(take(train, 300), 300, 1);
    const trained = await trainFashionModel(train, 3000, 3);
    writeFileSync(join(work, 'factory.tflite'), factory.tflite);
    writeFileSync(join(work, 'trained.tflite'), trained.tflite);
    factoryId = (
      await cli('artifacts', 'upload', join(work, 'factory.tflite'), '--model-version', 'fmnist-1', ...auth)
    ).out.trim();
    trainedId = (
      await cli('artifacts', 'upload', join(work, 'trained.tflite'), '--model-version', 'fmnist-2', ...auth)
    ).out.trim();
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop('SIGKILL');
    await server?.app.close();
  });

  it('renders a Pi agent with `fleetprune firmware`, updates it with `fleetprune deploy --wait`, and stores its telemetry', async () => {
    if (!(await pythonReady)) {
      console.warn(
        'skipped: /usr/bin/python3 lacks paho-mqtt, cryptography or pyarmnn (apt install python3-paho-mqtt python3-pyarmnn)',
      );
      return;
    }
    const registered = await api(server)('POST', '/api/devices', { name: 'pi-real', profile: 'rpi-4' });
    const { id, mqtt } = registered.json;
    const out = join(work, 'pi-agent');
    const rendered = await cli(
      'firmware',
      '--artifact',
      factoryId,
      '--target',
      'rpi',
      '--out',
      out,
      '--device-id',
      id,
      '--device-password',
      mqtt.password,
      ...auth,
    );
    expect(rendered.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ device_id: id });
    const agent = RpiAgentProcess.start(out, {
      python: PYTHON,
      configOverrides: {
        intervals: { inference_ms: 20, telemetry_s: 1, status_s: 60, keepalive_s: 5 },
        runtime: 'armnn',
      },
    });
    agents.push(agent);
    await eventually(
      async () => (await api(server)('GET', `/api/devices/${id}`)).json.activeArtifactId === factoryId,
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nagent output:\n${agent.log()}`);
    });

    const deployed = await cli(
      'deploy',
      '--artifact',
      trainedId,
      '--target',
      `device:${id}`,
      '--chunk-size',
      '2048',
      '--wait',
      ...auth,
    );
    expect(deployed.code).toBe(0);
    expect(deployed.out).toMatch(/completed.*1\/1 activated/);
    const windows = async () =>
      (await api(server)('GET', `/api/telemetry/summary?groupBy=artifact&deviceId=${id}`)).json as {
        key: string;
        samples: number;
        labelled: number;
        accuracy: number | null;
      }[];
    await eventually(
      async () => ((await windows()).find((w) => w.key === trainedId)?.labelled ?? 0) >= 50,
      30_000,
    );
    const onTrained = (await windows()).find((w) => w.key === trainedId)!;
    expect(onTrained.accuracy).toBeGreaterThan(0.5);
    expect((await api(server)('GET', `/api/devices/${id}`)).json.activeModelVersion).toBe('fmnist-2');
  });

  it('runs `fleetprune sim`, which registers once, reuses its devices, takes a rollout and reports telemetry', async () => {
    const simDir = join(work, 'sim');
    const sim = [
      'sim',
      '--devices',
      '3',
      '--profile',
      'esp32',
      '--data-dir',
      simDir,
      '--inference-ms',
      '50',
      '--telemetry-s',
      '1',
      ...auth,
    ];
    const first = cliProcess(sim, 120_000);
    await eventually(
      async () => (await api(server)('GET', '/api/devices?tag=simulated&status=online')).json.total === 3,
      30_000,
    );
    const deployed = await cli(
      'deploy',
      '--artifact',
      trainedId,
      '--target',
      'profile:esp32',
      '--wait',
      ...auth,
    );
    expect(deployed.code).toBe(0);
    expect(deployed.out).toMatch(/3\/3 activated/);
    const perDevice = async () =>
      (await api(server)('GET', `/api/telemetry/summary?groupBy=device&artifactId=${trainedId}`)).json as {
        key: string;
        labelled: number;
      }[];
    const simulated = (await api(server)('GET', '/api/devices?tag=simulated')).json.items.map(
      (d: { id: string }) => d.id,
    );
    await eventually(
      async () => (await perDevice()).filter((r) => simulated.includes(r.key) && r.labelled > 0).length === 3,
      30_000,
    );
    const profile = (
      await api(server)('GET', `/api/telemetry/summary?groupBy=profile&artifactId=${trainedId}`)
    ).json;
    expect(profile.find((r: { key: string }) => r.key === 'esp32').accuracy).toBeGreaterThan(0.5);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(0);
    expect(stopped.out).toMatch(/3 esp32 devices/);

    const again = await cliProcess([...sim, '--duration', '2'], 60_000).done;
    expect(again.code).toBe(0);
    expect((await api(server)('GET', '/api/devices?tag=simulated')).json.total).toBe(3);
    expect(JSON.parse(readFileSync(join(simDir, 'sim-devices.json'), 'utf8'))[server.httpUrl]).toHaveLength(
      3,
    );
  });
});
