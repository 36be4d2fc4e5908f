// The floor for one broker and fleet size, measured the way a floor should be: warmed up, best of a few.
import type { BrokerName } from './bench-args';
import { BrokerProcess, startAedes, startMosquitto } from './brokers';
import { FloorResult, measureFloor } from './floor';
import { freePort } from './free-port';
import { processMemory } from './process-memory';

export interface FloorCaseResult extends FloorResult {
  /** Every measured run (ms), the best of which is `ms`. */
  runsMs: number[];
  brokerPeakMiB: number;
}

/** A fresh broker process of that kind on a free port. */
export async function startBroker(name: BrokerName): Promise<BrokerProcess> {
  const port = await freePort();
  return name === 'aedes' ? startAedes(port) : startMosquitto(port);
}

/**
 * One broker process; a warm-up pass with up to 100 clients (JIT of mqtt.js here and of aedes
 * there), then `repeats` full passes; the fastest complete one is the floor.
 */
export async function floorCase(o: {
  broker: BrokerName;
  clients: number;
  bytes: Buffer;
  chunkSize: number;
  window: number;
  timeoutMs: number;
  repeats?: number;
}): Promise<FloorCaseResult> {
  const broker = await startBroker(o.broker);
  try {
    const base = { bytes: o.bytes, chunkSize: o.chunkSize, window: o.window, timeoutMs: o.timeoutMs };
    await measureFloor(broker.url, { ...base, clients: Math.min(100, o.clients) });
    const runs: FloorResult[] = [];
    for (let i = 0; i < (o.repeats ?? 2); i++)
      runs.push(await measureFloor(broker.url, { ...base, clients: o.clients }));
    const best = runs.reduce((a, b) =>
      b.completed > a.completed || (b.completed === a.completed && b.ms < a.ms) ? b : a,
    );
    return { ...best, runsMs: runs.map((r) => r.ms), brokerPeakMiB: processMemory(broker.pid).peakMiB };
  } finally {
    await broker.stop();
  }
}
