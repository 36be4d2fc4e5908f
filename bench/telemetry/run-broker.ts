// One broker's run of the telemetry benchmark: server, fleet, warm-up, the counted bare/server
// pass pairs with their CPU, the latency phase, and the check of the database itself.
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeTelemetry } from '@fleetprune/protocol';
import { buildBenchModel } from '../ota/bench-model';
import { BrokerProcess, startMosquitto } from '../ota/brokers';
import { freePort } from '../ota/free-port';
import { registerDevices, uploadModel } from '../ota/fleet-setup';
import { startBareSubscriber } from './bare-client';
import type { TelemetryBenchArgs, TelemetryBroker } from './bench-args';
import { cpuBetween, cpuSnapshot } from './cpu-meter';
import { countActive, storedCounts } from './db-check';
import {
  BARE_FILTER,
  BenchDevice,
  benchWindow,
  closeFleet,
  connectFleet,
  publishPass,
} from './fleet-clients';
import { measureLatency } from './latency-probe';
import { BrokerRun, PassResult, passRow } from './report';
import { startTelemetryServer, TelemetryServer } from './telemetry-server';

export const VERSION = 'bench-1';
const TESTDATA_MODEL = resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'testdata',
  'tflite',
  'hello_world_int8.tflite',
);
/** The server refills 5 windows per second per device. */
const REFILL_PER_S = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A Date.now() time as the monotonic microseconds V8 CPU profiles use. */
const usAgo = (at: number): string =>
  (process.hrtime.bigint() / 1000n - BigInt(Math.round((Date.now() - at) * 1000))).toString();

type Stats = { accepted: number; duplicates: number; rejected: Record<string, number> };

async function stats(server: TelemetryServer): Promise<Stats> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await server.call<Stats>('GET', '/api/telemetry/stats')).json;
    } catch (error) {
      // After a bare pass longer than the server's 5 s keep-alive, the pooled connection can
      // be closed under the request (ECONNRESET); the GET is idempotent, so ask again.
      if (attempt >= 3) throw error;
      await sleep(10);
    }
  }
}

/** Polls /stats every `everyMs` until `accepted` reaches `target`; returns when it saw it. */
async function waitAccepted(server: TelemetryServer, target: number, capMs: number, everyMs = 10) {
  const deadline = Date.now() + capMs;
  for (;;) {
    const s = await stats(server);
    const at = Date.now();
    if (s.accepted >= target) return at;
    if (at > deadline)
      throw new Error(`server stored ${s.accepted} of ${target} within ${capMs} ms: ${JSON.stringify(s)}`);
    await sleep(everyMs);
  }
}

/** Runs the whole benchmark on one broker; `log` gets progress lines. */
export async function runBroker(
  args: TelemetryBenchArgs,
  broker: TelemetryBroker,
  fleet: number,
  log: (line: string) => void,
): Promise<BrokerRun> {
  const started = Date.now();
  const loadAtStart = loadavg();
  const external: BrokerProcess | undefined =
    broker === 'mosquitto' ? await startMosquitto(await freePort(), 2 * fleet * args.perDevice) : undefined;
  const flags = args.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', args.cpuProfDir] : [];
  const server = await startTelemetryServer(external ? { MQTT_URL: external.url } : {}, 60_000, flags);
  let devices: BenchDevice[] = [];
  try {
    const model = existsSync(TESTDATA_MODEL) ? readFileSync(TESTDATA_MODEL) : await buildBenchModel();
    const artifactId = await uploadModel(server, model, VERSION);
    const specs = await registerDevices(server, fleet);
    log(
      `${broker} x ${fleet}: registered ${specs.length} devices (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    devices = await connectFleet(server.mqttUrl, specs, artifactId, VERSION);
    for (let i = 0; (await countActive(server.sqlitePath, artifactId)) < fleet; i++) {
      if (i > 300) throw new Error('devices did not all record the active artifact within 30 s');
      await sleep(100);
    }
    // One window per device fills the server's per-device admission cache.
    await publishPass(devices, 1, 'telemetry', 0, artifactId, VERSION);
    let expected = fleet;
    await waitAccepted(server, expected, 60_000);
    log(`${broker} x ${fleet}: connected and warmed up (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const bare = await startBareSubscriber({
      mqttUrl: server.mqttUrl,
      username: server.mqttUsername,
      password: server.mqttPassword,
      filter: BARE_FILTER,
      // On the terms the server gets the messages: the embedded broker hands them to the
      // server in process, without acknowledgements (QoS 0 to the bare subscriber, which also
      // spares it aedes's per-subscriber QoS 1 queue, linear in the messages in flight); the
      // server subscribes to an external broker with QoS 1.
      qos: external ? 1 : 0,
    });
    const pids: Record<string, number> = { server: server.pid, bench: process.pid, bare: bare.pid };
    if (external) pids.broker = external.pid;
    const n = fleet * args.perDevice;
    const passes: PassResult[] = [];
    let lastTelemetryAt = Date.now();
    for (let pass = 1 - args.warmup; pass <= args.passes; pass++) {
      const seqBase = (pass + args.warmup) * 1000;
      const load1 = loadavg()[0];
      const c0 = cpuSnapshot(pids);
      const a = await bare.run(n, 120_000, () =>
        publishPass(devices, args.perDevice, 'bench', seqBase, artifactId, VERSION),
      );
      const c1 = cpuSnapshot(pids);
      // Every device's token bucket refills to a full burst before the server pass.
      await sleep(Math.max(0, lastTelemetryAt + (args.perDevice / REFILL_PER_S) * 1000 + 500 - Date.now()));
      const c2 = cpuSnapshot(pids);
      const b = await publishPass(devices, args.perDevice, 'telemetry', seqBase, artifactId, VERSION);
      expected += n;
      const storedAt = await waitAccepted(server, expected, 120_000);
      const c3 = cpuSnapshot(pids);
      lastTelemetryAt = Date.now();
      // The CPU profile's clock is the monotonic one in µs: these bounds cut the pass out of it.
      if (args.cpuProfDir)
        log(
          `${broker} x ${fleet}: pass ${pass} profile window ${usAgo(c2.at)} .. ${usAgo(c3.at)} µs (monotonic)`,
        );
      const result: PassResult = {
        pass,
        messages: n,
        bareMs: a.ms,
        bareReceived: a.received,
        serverMs: storedAt - b.startedAt,
        serverStored: n,
        load1,
        bareCpu: cpuBetween(c0, c1),
        serverCpu: cpuBetween(c2, c3),
      };
      log(`${broker} x ${fleet}: ${pass < 1 ? '(warm-up) ' : ''}${passRow(result)}`);
      if (pass >= 1) passes.push(result);
    }
    await bare.stop();

    await sleep((args.perDevice / REFILL_PER_S) * 1000 + 500);
    // The target is about latency at a steady rate, not under a burst: the paced phase runs on
    // at most `latencyDevices` devices (each GET /summary also answers for every device).
    const paced = devices.slice(0, args.latencyDevices);
    log(
      `${broker} x ${fleet}: latency, ${paced.length * args.latencyRate} msg/s offered for ${args.latencyS} s`,
    );
    const latency = await measureLatency(server, paced, {
      ratePerDevice: args.latencyRate,
      durationS: args.latencyS,
      pollMs: args.pollMs,
      seqBase: 100_000,
      artifactId,
      modelVersion: VERSION,
    });
    expected += latency.sent;
    await waitAccepted(server, expected, 30_000).catch(() => undefined);
    const final = await stats(server);
    return {
      broker,
      devices: fleet,
      payloadBytes: encodeTelemetry(benchWindow(1000, artifactId, VERSION, Date.now())).length,
      loadAtStart,
      loadAtEnd: loadavg(),
      passes,
      latency,
      stored: { expected, ...(await storedCounts(server.sqlitePath)) },
      rejected: final.rejected,
      totalS: (Date.now() - started) / 1000,
    };
  } catch (error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    throw new Error(
      `${broker} x ${fleet}: ${(error as Error).message}${cause ? ` (${String(cause)})` : ''}; server ${server.state()}, ` +
        `its stderr:\n${server.stderrTail()}`,
    );
  } finally {
    await closeFleet(devices.filter(Boolean));
    await server.stop();
    await external?.stop();
    if (args.cpuProfDir) log(`${broker} x ${fleet}: server CPU profile in ${join(args.cpuProfDir)}`);
  }
}
