// The parent's side of bench/telemetry/bare-subscriber.ts: starts it with the server's broker
// credentials and runs one counted pass through it.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { SubscriberMessage } from './bare-subscriber';

/** The bare subscriber child process. */
export interface BareSubscriber {
  pid: number;
  /** Has it expect `expect` messages, runs `publish`, resolves when the last one arrived. */
  run(
    expect: number,
    capMs: number,
    publish: () => Promise<{ startedAt: number }>,
  ): Promise<{ ms: number; received: number }>;
  stop(): Promise<void>;
}

/** Forks the subscriber on `filter`; resolves once it is subscribed. */
export async function startBareSubscriber(o: {
  mqttUrl: string;
  username?: string;
  password?: string;
  filter: string;
  qos: 0 | 1;
}): Promise<BareSubscriber> {
  const child = fork(join(__dirname, 'bare-subscriber.js'), [], {
    env: {
      ...process.env,
      MQTT_URL: o.mqttUrl,
      MQTT_USERNAME: o.username ?? '',
      MQTT_PASSWORD: o.password ?? '',
      FILTER: o.filter,
      QOS: String(o.qos),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (capMs: number) =>
    new Promise<SubscriberMessage>((resolve, reject) => {
      // At the cap the child reports what it has, and the pass shows the shortfall.
      const timer = setTimeout(() => child.send({ kind: 'report' }), capMs);
      const onExit = (code: number | null) => reject(new Error(`bare subscriber exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: SubscriberMessage) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(m);
      });
    });
  await next(20_000);
  return {
    pid: child.pid as number,
    async run(expect, capMs, publish) {
      const done = next(capMs);
      child.send({ kind: 'expect', expect });
      const { startedAt } = await publish();
      const m = await done;
      if (m.kind !== 'done') throw new Error('bare subscriber: unexpected message');
      return { ms: m.lastAt - startedAt, received: m.received };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ kind: 'exit' });
      }),
  };
}
