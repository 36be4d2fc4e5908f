// A fresh Mosquitto for the telemetry benchmark, with a per-client queue deep enough for a
// whole pass: a QoS 1 burst of 80,000 windows to a subscriber that stores them more slowly
// than Mosquitto delivers them must wait in the broker, not be dropped (bench/ota's broker
// keeps 10,000 queued messages per client, and Mosquitto drops the rest).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerProcess, MOSQUITTO, waitForPort } from '../ota/brokers';
import { freePort } from '../ota/free-port';

/** Starts Mosquitto on a free loopback port, anonymous, queueing up to `queue` messages per client. */
export async function startQueueingMosquitto(queue: number): Promise<BrokerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-telemetry-mosquitto-'));
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
      `max_queued_messages ${queue}`,
      'max_queued_bytes 0',
      'log_dest none',
      '',
    ].join('\n'),
  );
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitForPort(port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'mosquitto', url: `mqtt://127.0.0.1:${port}`, pid: child.pid as number, stop };
}
