// OTA fleet benchmark: N simulated devices receive one ~100 KB model through the embedded aedes
// broker and through Mosquitto, each against a floor measured in the same run.
// `npm run build && node dist/bench/ota.js --help` for the options (bench/ota/bench-args.ts).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, relative } from 'node:path';
import { upsertMarkdownSection } from '../tools/conformance/markdown-section';
import { OtaBenchArgs, parseOtaBenchArgs, USAGE } from './ota/bench-args';
import { OtaBenchRow, rowSucceeded, runCase } from './ota/bench-case';
import { buildBenchModels } from './ota/bench-model';
import { mosquittoAvailable } from './ota/brokers';
import { summarizeCpuProfile } from './ota/cpu-profile';
import { gitRevision, machineInfo } from './ota/machine';
import { OtaReport, otaSection } from './ota/report-doc';
import { otaSvg } from './ota/report-svg';
import { phaseTable, profileTable, resultTable } from './ota/report-table';

const log = (line: string): void => console.log(line);

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) return log(USAGE);
  const args = parseOtaBenchArgs(argv);
  if (args.brokers.includes('mosquitto') && !mosquittoAvailable())
    throw new Error('Mosquitto is not installed (apt-get install mosquitto), or pass --brokers aedes');
  const started = Date.now();
  const machine = machineInfo();
  const revision = gitRevision();
  // A warm-up model, then one distinct model per measured pass (a device skips what it already holds).
  const models = await buildBenchModels(1 + args.passes);
  // Device flash writes are not what is measured: slot files go to tmpfs when there is one.
  const stateRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  log(
    `OTA benchmark: ${models.length} models of ${models[0].length} B, chunk ${args.chunkSize}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  const rows: OtaBenchRow[] = [];
  const notes: string[] = [];
  const perBrokerMs = (args.budgetMin * 60_000) / args.brokers.length;
  for (const broker of args.brokers) {
    const brokerStart = Date.now();
    let lastCaseMs = 0;
    for (const devices of args.devices) {
      // A case costs roughly its size: double the fleet, double the time (setup included).
      const spent = Date.now() - brokerStart;
      if (lastCaseMs > 0 && spent + 2 * lastCaseMs > perBrokerMs) {
        notes.push(
          `${broker}: ${devices} devices not tried (time budget of ${args.budgetMin} min for the run)`,
        );
        log(`${broker}, ${devices} devices: skipped, ${notes[notes.length - 1]}`);
        break;
      }
      log(`${broker}, ${devices} devices`);
      const caseStart = Date.now();
      const row = await runCase({
        broker,
        devices,
        models,
        chunkSize: args.chunkSize,
        capMs: args.capS * 1000,
        stateRoot,
        log,
      });
      lastCaseMs = Date.now() - caseStart;
      rows.push(row);
      log(resultTable([row]).slice(2).join('\n'));
      // "As many as this machine holds": a bigger fleet is only tried after this one passed.
      if (!rowSucceeded(row)) break;
    }
  }
  const profile = args.profileServer ? await profileServer(args, models, stateRoot) : undefined;

  const report: OtaReport = {
    rows,
    machine,
    loadAtEnd: loadavg(),
    command: `node dist/bench/ota.js ${argv.join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 10),
    svgPath: args.svg,
    reference: args.devices[0],
    totalS: (Date.now() - started) / 1000,
    revision,
    profile,
    notes,
  };
  log(['', ...resultTable(rows), '', ...phaseTable(rows)].join('\n'));
  if (profile)
    log(
      [
        '',
        ...profileTable(profile.summary, profile.windowMs, 'server'),
        '',
        ...profileTable(profile.simulator, profile.windowMs, 'simulator'),
      ].join('\n'),
    );
  upsertMarkdownSection(args.doc, 'ota-benchmark', otaSection(report));
  mkdirSync(dirname(args.svg), { recursive: true });
  writeFileSync(args.svg, otaSvg(rows));
  log(`\nwrote ${args.doc} (section ota-benchmark) and ${args.svg}`);
}

/** The reference size through the embedded broker with the server under --cpu-prof. */
async function profileServer(
  args: OtaBenchArgs,
  models: Uint8Array[],
  stateRoot: string,
): Promise<OtaReport['profile']> {
  const devices = args.devices[0];
  log(`profile: aedes, ${devices} devices, server under --cpu-prof`);
  mkdirSync(args.profileDir, { recursive: true });
  const row = await runCase({
    broker: 'aedes',
    devices,
    // The warm-up, then one profiled pass.
    models: models.slice(0, 2),
    chunkSize: args.chunkSize,
    capMs: args.capS * 1000,
    stateRoot,
    cpuProfileDir: args.profileDir,
    skipFloor: true,
    log,
  });
  const window = row.system?.profile;
  if (!window?.path) {
    log(`  no profile written${row.error ? `: ${row.error}` : ''}`);
    return undefined;
  }
  const inWindow = { fromUs: window.fromUs, toUs: window.toUs, top: 10 };
  return {
    summary: summarizeCpuProfile(window.path, inWindow),
    simulator: summarizeCpuProfile(window.simulatorPath, { ...inWindow, ownPrefix: 'dist/devices/' }),
    windowMs: (window.toUs - window.fromUs) / 1000,
    file: relative(process.cwd(), window.path),
    simulatorFile: relative(process.cwd(), window.simulatorPath),
    row,
  };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`ota benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
