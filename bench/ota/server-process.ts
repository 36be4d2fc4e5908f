// The real server as a child process (dist/apps/server/src/main.js), so its memory and CPU
// profile are its own, with a small JSON client for its REST API.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';

export interface ServerProcessOptions {
  /** External broker (MQTT_URL); the embedded aedes broker when absent. */
  mqttUrl?: string;
  /** Write a --cpu-prof profile into this directory (the process is then ended over IPC). */
  cpuProfileDir?: string;
  /** Give up when /health is not 200 by then. */
  bootTimeoutMs?: number;
}

export interface ApiAnswer<T> {
  status: number;
  json: T;
}

export interface ServerProcess {
  pid: number;
  httpUrl: string;
  dataDir: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** The last few KB the server wrote to stderr (its warnings and errors at LOG_LEVEL=warn). */
  stderrTail(): string;
  /** `running`, or how the process ended (`exit 1`, `signal SIGKILL`). */
  state(): string;
  /** Ends the process and removes its data directory; returns the .cpuprofile path if one was asked for. */
  stop(): Promise<string | undefined>;
}

const MAIN = resolve(__dirname, '..', '..', 'apps', 'server', 'src', 'main.js');
const EXIT_ON_MESSAGE = join(__dirname, 'exit-on-message.js');

/** Starts the server on free ports with a fresh SQLite data directory and waits for GET /health 200. */
export async function startServerProcess(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetprune-ota-bench-'));
  const [port, mqttPort] = [await freePort(), await freePort()];
  const token = `bench-${Math.random().toString(36).slice(2)}-token`;
  const args = opts.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir, '-r', EXIT_ON_MESSAGE, MAIN]
    : [MAIN];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(mqttPort),
      HOST: '127.0.0.1',
      MQTT_HOST: '127.0.0.1',
      FLEETPRUNE_ADMIN_TOKEN: token,
      LOG_LEVEL: 'warn',
      ...(opts.mqttUrl ? { MQTT_URL: opts.mqttUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    // A pooled keep-alive socket the busy server has just closed fails with "other side
    // closed"; a GET is safe to send again on a fresh one.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${httpUrl}${path}`, { method, headers, body: payload });
        const text = await response.text();
        return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
        if (method === 'GET' && cause?.code === 'UND_ERR_SOCKET' && attempt < 3) continue;
        throw new Error(
          `${method} ${path}: ${(error as Error).message} (${cause?.code ?? ''} ${cause?.message ?? ''})`,
        );
      }
    }
  };
  const server: ServerProcess = {
    pid: child.pid as number,
    httpUrl,
    dataDir,
    call,
    stderrTail: () => stderr,
    state: () =>
      child.exitCode !== null
        ? `exit ${child.exitCode}`
        : child.signalCode !== null
          ? `signal ${child.signalCode}`
          : 'running',
    stop: () => stopServer(child, dataDir, opts.cpuProfileDir),
  };
  try {
    await waitForHealth(httpUrl, child, opts.bootTimeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nserver stderr:\n${stderr}`);
  }
  return server;
}

async function waitForHealth(httpUrl: string, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} during boot`);
    const ok = await fetch(`${httpUrl}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${httpUrl} not healthy after ${ms} ms`);
}

async function stopServer(
  child: ChildProcess,
  dataDir: string,
  profileDir?: string,
): Promise<string | undefined> {
  const before = new Set(profileDir ? readdirSync(profileDir) : []);
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A normal exit writes the --cpu-prof file; SIGTERM is Nest's graceful shutdown otherwise.
    if (profileDir && child.connected) child.send('exit');
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (!profileDir) return undefined;
  const written = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  return written.length > 0 ? join(profileDir, written[0]) : undefined;
}
