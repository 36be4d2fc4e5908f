// Telemetry ingestion benchmark: in one run, (a) how fast the broker delivers N telemetry
// messages from P device connections to a bare subscriber, (b) how fast the server stores the
// same messages (checked in the SQLite file), (c) publish-to-queryable-rollup latency.
// `npm run build && node dist/bench/telemetry.js --help` for the options (bench/telemetry/bench-args.ts).
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { encodeTelemetry } from '@fleetprune/protocol';
import { upsertMarkdownSection } from '../tools/conformance/markdown-section';
import { buildBenchModel } from './ota/bench-model';
import { registerDevices, uploadModel } from './ota/fleet-setup';
import { gitRevision, machineInfo } from './ota/machine';
import type { SubscriberMessage } from './telemetry/bare-subscriber';
import { parseTelemetryBenchArgs, USAGE } from './telemetry/bench-args';
import { countActive, storedCounts } from './telemetry/db-check';
import {
  BARE_FILTER,
  benchWindow,
  BenchDevice,
  closeFleet,
  connectFleet,
  publishPass,
} from './telemetry/fleet-clients';
import { measureLatency } from './telemetry/latency-probe';
import {
  latencyTable,
  passRow,
  passTable,
  PassResult,
  telemetrySection,
  telemetrySvg,
  verdicts,
} from './telemetry/report';
import { startTelemetryServer, TelemetryServer } from './telemetry/telemetry-server';

const log = (line: string): void => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VERSION = 'bench-1';
const TESTDATA_MODEL = join(
  __dirname,
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

type Stats = { accepted: number; duplicates: number; rejected: Record<string, number> };

async function stats(server: TelemetryServer): Promise<Stats> {
  return (await server.call<Stats>('GET', '/api/telemetry/stats')).json;
}

/** Polls /stats every `everyMs` until `accepted` reaches `target`; returns when it saw it. */
async function waitAccepted(
  server: TelemetryServer,
  target: number,
  capMs: number,
  everyMs = 10,
): Promise<number> {
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

/** The bare subscriber child, connected with the server's broker credentials. */
async function startBareSubscriber(server: TelemetryServer) {
  const child = fork(join(__dirname, 'telemetry', 'bare-subscriber.js'), [], {
    env: {
      ...process.env,
      MQTT_URL: server.mqttUrl,
      MQTT_USERNAME: server.mqttUsername,
      MQTT_PASSWORD: server.mqttPassword,
      FILTER: BARE_FILTER,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (capMs: number) =>
    new Promise<SubscriberMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.send({ kind: 'report' });
      }, capMs);
      child.once('message', (m: SubscriberMessage) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.once('exit', (code) => reject(new Error(`bare subscriber exited (${code})`)));
    });
  await next(20_000);
  return {
    async run(expect: number, capMs: number, publish: () => Promise<{ startedAt: number }>) {
      const done = next(capMs);
      child.send({ kind: 'expect', expect });
      const { startedAt } = await publish();
      const m = await done;
      if (m.kind !== 'done') throw new Error('bare subscriber: unexpected message');
      return { ms: m.lastAt - startedAt, received: m.received };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ kind: 'exit' });
      }),
  };
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) return log(USAGE);
  const args = parseTelemetryBenchArgs(argv);
  const started = Date.now();
  const machine = machineInfo();
  log(
    `telemetry benchmark: ${args.devices} devices x ${args.perDevice} windows per pass, load ${machine.load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const server = await startTelemetryServer();
  let devices: BenchDevice[] = [];
  try {
    const model = existsSync(TESTDATA_MODEL) ? readFileSync(TESTDATA_MODEL) : await buildBenchModel();
    const artifactId = await uploadModel(server, model, VERSION);
    const specs = await registerDevices(server, args.devices);
    log(`registered ${specs.length} devices (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    devices = await connectFleet(server.mqttUrl, specs, artifactId, VERSION);
    for (let i = 0; (await countActive(server.sqlitePath, artifactId)) < args.devices; i++) {
      if (i > 200) throw new Error('devices did not all record the active artifact within 20 s');
      await sleep(100);
    }
    // Warm-up: one window per device (fills the server's per-device admission cache).
    await publishPass(devices, 1, 'telemetry', 0, artifactId, VERSION);
    let expected = args.devices;
    await waitAccepted(server, expected, 60_000);
    log(`connected and warmed up (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const bare = await startBareSubscriber(server);
    const n = args.devices * args.perDevice;
    const passes: PassResult[] = [];
    let lastTelemetryAt = Date.now();
    for (let pass = 1; pass <= args.passes; pass++) {
      const a = await bare.run(n, 120_000, () =>
        publishPass(devices, args.perDevice, 'bench', pass * 1000, artifactId, VERSION),
      );
      // Let every device's token bucket refill to a full burst before the server pass.
      await sleep(Math.max(0, lastTelemetryAt + (args.perDevice / REFILL_PER_S) * 1000 + 500 - Date.now()));
      const b = await publishPass(devices, args.perDevice, 'telemetry', pass * 1000, artifactId, VERSION);
      expected += n;
      const storedAt = await waitAccepted(server, expected, 120_000);
      lastTelemetryAt = Date.now();
      passes.push({
        pass,
        messages: n,
        bareMs: a.ms,
        bareReceived: a.received,
        serverMs: storedAt - b.startedAt,
        serverStored: n,
      });
      log(passRow(passes[passes.length - 1]));
    }
    await bare.stop();

    await sleep((args.perDevice / REFILL_PER_S) * 1000 + 500);
    log(`latency: ${args.devices * args.latencyRate} msg/s offered for ${args.latencyS} s`);
    const latency = await measureLatency(server, devices, {
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
    const stored = { expected, ...(await storedCounts(server.sqlitePath)) };

    const report = {
      date: new Date().toISOString().slice(0, 10),
      command: `node dist/bench/telemetry.js ${argv.join(' ')}`.trim(),
      revision: gitRevision(),
      machine,
      loadAtEnd: loadavg(),
      devices: args.devices,
      perDevice: args.perDevice,
      payloadBytes: encodeTelemetry(benchWindow(1000, artifactId, VERSION, Date.now())).length,
      passes,
      latency,
      pollMs: args.pollMs,
      stored,
      rejected: final.rejected,
      totalS: (Date.now() - started) / 1000,
    };
    log(['', ...passTable(report), '', ...latencyTable(latency), '', ...verdicts(report)].join('\n'));
    log(`load average at the end: ${report.loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
    if (args.svg) {
      mkdirSync(dirname(args.svg), { recursive: true });
      writeFileSync(args.svg, telemetrySvg(report));
      log(`wrote ${args.svg}`);
    }
    if (args.doc) {
      upsertMarkdownSection(args.doc, 'telemetry-benchmark', telemetrySection(report, args.svg));
      log(`wrote ${args.doc} (section telemetry-benchmark)`);
    }
  } finally {
    await closeFleet(devices.filter(Boolean));
    await server.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`telemetry benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
