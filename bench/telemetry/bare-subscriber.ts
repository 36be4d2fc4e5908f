// A bare mqtt.js subscriber in its own process: counts messages on a filter and reports when
// the first and the n-th arrived (wall clock, comparable with the parent's on one machine).
// `node dist/bench/telemetry/bare-subscriber.js` with FILTER, QOS (0 or 1), MQTT_URL, MQTT_USERNAME,
// MQTT_PASSWORD.
import { connectAsync } from 'mqtt';

/** Messages between parent and subscriber. */
export type SubscriberMessage =
  { kind: 'ready' } | { kind: 'done'; firstAt: number; lastAt: number; received: number };

async function main(): Promise<void> {
  const env = process.env;
  const client = await connectAsync(env.MQTT_URL!, {
    // Mosquitto in the benchmark takes anyone: no credentials then.
    username: env.MQTT_USERNAME || undefined,
    password: env.MQTT_PASSWORD || undefined,
    clientId: `bench-bare-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
  });
  let expected = Infinity;
  let received = 0;
  let firstAt = 0;
  let lastAt = 0;
  const report = () =>
    process.send?.({ kind: 'done', firstAt, lastAt, received } satisfies SubscriberMessage);
  client.on('message', () => {
    received++;
    const now = Date.now();
    if (received === 1) firstAt = now;
    lastAt = now;
    if (received === expected) report();
  });
  await client.subscribeAsync(env.FILTER!, { qos: env.QOS === '0' ? 0 : 1 });
  process.on('message', (message: { kind: string; expect?: number }) => {
    if (message.kind === 'expect') {
      expected = message.expect ?? Infinity;
      received = 0;
    } else if (message.kind === 'report') report();
    else if (message.kind === 'exit') void client.endAsync(true).then(() => process.exit(0));
  });
  process.send?.({ kind: 'ready' } satisfies SubscriberMessage);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
