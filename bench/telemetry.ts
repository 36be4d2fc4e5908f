// Telemetry ingestion benchmark: in one run per broker, (a) how fast the broker delivers N
// telemetry messages from P device connections to a bare subscriber, (b) how fast the server
// stores the same messages (checked in the SQLite file), alternately over several passes with
// the CPU each used, (c) publish-to-queryable-rollup latency.
// `npm run build && node dist/bench/telemetry.js --help` for the options (bench/telemetry/bench-args.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { upsertMarkdownSection } from '../tools/conformance/markdown-section';
import { mosquittoAvailable } from './ota/brokers';
import { gitRevision, machineInfo } from './ota/machine';
import { parseTelemetryBenchArgs, USAGE } from './telemetry/bench-args';
import {
  BrokerRun,
  latencyTable,
  passTable,
  summaryTable,
  TelemetryReport,
  verdicts,
} from './telemetry/report';
import { telemetrySection } from './telemetry/report-doc';
import { telemetrySvg } from './telemetry/report-svg';
import { runBroker } from './telemetry/run-broker';

const log = (line: string): void => console.log(line);

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) return log(USAGE);
  const args = parseTelemetryBenchArgs(argv);
  if (args.brokers.includes('mosquitto') && !mosquittoAvailable())
    throw new Error('--brokers mosquitto needs /usr/sbin/mosquitto (apt-get install mosquitto)');
  const machine = machineInfo();
  log(
    `telemetry benchmark: ${args.devices.join(', ')} devices x ${args.perDevice} windows per pass, ` +
      `${args.warmup} warm-up + ${args.passes} passes, brokers ${args.brokers.join(', ')}, ` +
      `load ${machine.load.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const runs: BrokerRun[] = [];
  for (const broker of args.brokers)
    for (const fleet of args.devices) {
      const run = await runBroker(args, broker, fleet, log);
      runs.push(run);
      log(
        [
          '',
          ...passTable(run),
          '',
          ...summaryTable(run),
          '',
          ...latencyTable(run.latency),
          '',
          ...verdicts(run),
        ].join('\n'),
      );
      log(`load average at the end: ${run.loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
    }
  const report: TelemetryReport = {
    date: new Date().toISOString().slice(0, 10),
    command: `node dist/bench/telemetry.js ${argv.join(' ')}`.trim(),
    revision: gitRevision(),
    machine,
    perDevice: args.perDevice,
    pollMs: args.pollMs,
    runs,
  };
  if (args.svg) {
    mkdirSync(dirname(args.svg), { recursive: true });
    writeFileSync(args.svg, telemetrySvg(report));
    log(`wrote ${args.svg}`);
  }
  if (args.doc) {
    upsertMarkdownSection(args.doc, 'telemetry-benchmark', telemetrySection(report, args.svg));
    log(`wrote ${args.doc} (section telemetry-benchmark)`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`telemetry benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
