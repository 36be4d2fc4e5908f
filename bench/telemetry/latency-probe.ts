// Publish-to-queryable-rollup latency: devices publish at a steady rate, each stamping the
// send time; a poller reads GET /api/telemetry/summary?groupBy=device and, when a device's
// window count has grown by k, the device's k oldest unconfirmed windows became queryable by
// the time that answer arrived (an upper bound: the poll interval and the query are included).
import { channelTopic, encodeTelemetry } from '@fleetprune/protocol';
import type { ServerProcess } from '../ota/server-process';
import { BenchDevice, benchWindow } from './fleet-clients';

export interface LatencyOptions {
  ratePerDevice: number;
  durationS: number;
  pollMs: number;
  seqBase: number;
  artifactId: string;
  modelVersion: string;
  /** Give up on unconfirmed windows this long after the last publish. */
  graceMs?: number;
}

export interface LatencyResult {
  sent: number;
  confirmed: number;
  offeredPerS: number;
  /** Sorted latencies, ms. */
  latenciesMs: number[];
  polls: number;
}

type Summary = Array<{ key: string; windows: number }>;

async function windowsByDevice(server: ServerProcess): Promise<Map<string, number>> {
  const answer = await server.call<Summary>('GET', '/api/telemetry/summary?groupBy=device&limit=10000');
  if (answer.status !== 200) throw new Error(`GET /api/telemetry/summary answered ${answer.status}`);
  return new Map(answer.json.map((r) => [r.key, r.windows]));
}

/** Runs the paced phase and returns the latency distribution. */
export async function measureLatency(
  server: ServerProcess,
  devices: BenchDevice[],
  o: LatencyOptions,
): Promise<LatencyResult> {
  const baseline = await windowsByDevice(server);
  const periodMs = 1000 / o.ratePerDevice;
  const perDevice = Math.max(1, Math.round(o.durationS * o.ratePerDevice));
  const sentAt = devices.map(() => [] as number[]);
  const confirmed = devices.map(() => 0);
  const latencies: number[] = [];
  const start = Date.now();
  let sent = 0;
  let polls = 0;

  // Each device sends on its own phase within the period, so the load is spread evenly.
  const publishing = new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = Date.now();
      devices.forEach((d, i) => {
        const n = sentAt[i].length;
        if (n >= perDevice) return;
        const due = start + (i / devices.length) * periodMs + n * periodMs;
        if (now < due) return;
        sentAt[i].push(now);
        sent++;
        const payload = encodeTelemetry(benchWindow(o.seqBase + n, o.artifactId, o.modelVersion, now));
        d.client.publish(channelTopic(d.id, 'telemetry'), payload, { qos: 1 });
      });
      if (sent === perDevice * devices.length) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });

  let publishedAll = false;
  void publishing.then(() => (publishedAll = true));
  const grace = o.graceMs ?? 10_000;
  let lastPublishAt = Infinity;
  for (;;) {
    await new Promise((r) => setTimeout(r, o.pollMs));
    const counts = await windowsByDevice(server);
    const at = Date.now();
    polls++;
    devices.forEach((d, i) => {
      const seen = Math.min((counts.get(d.id) ?? 0) - (baseline.get(d.id) ?? 0), sentAt[i].length);
      for (let k = confirmed[i]; k < seen; k++) latencies.push(at - sentAt[i][k]);
      confirmed[i] = Math.max(confirmed[i], seen);
    });
    const total = confirmed.reduce((a, b) => a + b, 0);
    if (publishedAll && lastPublishAt === Infinity) lastPublishAt = at;
    if (publishedAll && (total === sent || at - lastPublishAt > grace)) break;
  }
  latencies.sort((a, b) => a - b);
  return {
    sent,
    confirmed: latencies.length,
    offeredPerS: devices.length * o.ratePerDevice,
    latenciesMs: latencies,
    polls,
  };
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
