// Starts bench/telemetry/server-child.js (the real server, SQLite in a fresh temp dir, embedded
// aedes) and wraps it as bench/ota's ServerProcess, plus the broker credentials it reported.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../ota/free-port';
import type { ApiAnswer, ServerProcess } from '../ota/server-process';
import type { ServerChildReady } from './server-child';

export interface TelemetryServer extends ServerProcess {
  mqttUrl: string;
  /** The server's own MQTT credentials (full access), for the bare subscriber. */
  mqttUsername: string;
  mqttPassword: string;
  sqlitePath: string;
}

/** Boots the server child; rejects with its stderr if it does not come up in `bootMs`. */
export async function startTelemetryServer(
  env: Record<string, string> = {},
  bootMs = 60_000,
  /** Extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir <dir>`. */
  nodeFlags: string[] = [],
): Promise<TelemetryServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetprune-telemetry-bench-'));
  const child = fork(join(__dirname, 'server-child.js'), [], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      MQTT_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [...process.execArgv, ...nodeFlags],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async (): Promise<undefined> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send('exit');
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    return undefined;
  };
  let ready: ServerChildReady;
  try {
    ready = await new Promise<ServerChildReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server not up after ${bootMs} ms`)), bootMs);
      child.once('exit', (code) => reject(new Error(`server exited with code ${code} during boot`)));
      child.on('message', (m: ServerChildReady) => {
        if (m.kind !== 'ready') return;
        clearTimeout(timer);
        resolve(m);
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nserver stderr:\n${stderr}`);
  }
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const headers: Record<string, string> = { authorization: `Bearer ${ready.token}` };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${ready.httpUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    pid: child.pid as number,
    httpUrl: ready.httpUrl,
    dataDir,
    call,
    stderrTail: () => stderr,
    state: () =>
      child.exitCode !== null
        ? `exit ${child.exitCode}`
        : child.signalCode !== null
          ? `signal ${child.signalCode}`
          : 'running',
    stop,
    mqttUrl: ready.mqttUrl,
    mqttUsername: ready.mqttUsername,
    mqttPassword: ready.mqttPassword,
    sqlitePath: join(dataDir, 'fleetprune.sqlite'),
  };
}
