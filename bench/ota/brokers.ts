// Broker processes for the OTA benchmark: a bare aedes (the broker the server embeds) and
// Debian's Mosquitto, each in its own process so their memory can be read from /proc.
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BrokerProcess {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** Whether Debian's mosquitto is installed (`apt install mosquitto`). */
export function mosquittoAvailable(): boolean {
  return existsSync(MOSQUITTO);
}

/** Resolves once something accepts TCP connections on the port, or rejects after `ms`. */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** waitForPort, ending the child when its port never opens. */
async function waitForPortOrStop(child: ChildProcess, port: number): Promise<void> {
  try {
    await waitForPort(port);
  } catch (error) {
    await stopper(child)();
    throw error;
  }
}

/**
 * Mosquitto 2 on loopback without authentication (the benchmarks measure transport, not ACLs).
 * `maxQueued` is each client's queue: a subscriber slower than a burst must find its messages
 * waiting there, since Mosquitto drops what does not fit.
 */
export async function startMosquitto(port: number, maxQueued = 10_000): Promise<BrokerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_connections -1',
      // Message ids are 16 bits: past 65,535 in flight a client's messages queue instead.
      'max_inflight_messages 0',
      `max_queued_messages ${maxQueued}`,
      'max_queued_bytes 0',
      'log_dest none',
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  await waitForPortOrStop(child, port);
  return {
    name: 'mosquitto',
    url: `mqtt://127.0.0.1:${port}`,
    pid: child.pid as number,
    stop: async () => {
      await stopper(child)();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bare aedes broker (no auth) in a child Node process: `node dist/bench/ota/aedes-process.js <port>`. */
export async function startAedes(port: number): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'aedes-process.js'), String(port)], {
    stdio: 'ignore',
  });
  await waitForPortOrStop(child, port);
  return { name: 'aedes', url: `mqtt://127.0.0.1:${port}`, pid: child.pid as number, stop: stopper(child) };
}
