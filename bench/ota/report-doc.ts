// Assembles the OTA section of docs/benchmarks.md.
import { basename } from 'node:path';
import type { OtaBenchRow } from './bench-case';
import { DEVICE_WINDOW } from './bench-case';
import type { ProfileSummary } from './cpu-profile';
import { formatLoad, MachineInfo } from './machine';
import { phaseTable, profileTable, resultTable, verdicts } from './report-table';

export interface OtaReport {
  rows: OtaBenchRow[];
  machine: MachineInfo;
  /** Load average when the run ended. */
  loadAtEnd: number[];
  command: string;
  date: string;
  svgPath: string;
  reference: number;
  totalS: number;
  revision?: string;
  /** Sizes skipped and why. */
  notes?: string[];
  profile?: {
    summary: ProfileSummary;
    simulator: ProfileSummary;
    windowMs: number;
    file: string;
    simulatorFile: string;
    row: OtaBenchRow;
  };
}

/** The markdown body between the ota-benchmark markers. */
export function otaSection(r: OtaReport): string {
  const first = r.rows[0];
  const m = r.machine;
  const lines = [
    '## OTA to a simulated fleet (`bench/ota.ts`)',
    '',
    `${r.date}, ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(0)} GiB RAM, Node ${m.node.replace(/^v/, '')}; ` +
      `load average ${formatLoad(m.load)} at the start and ${formatLoad(r.loadAtEnd)} at the end ` +
      `(the machine is shared with other jobs; ${r.totalS.toFixed(0)} s for the whole run). Command: \`${r.command}\`` +
      (r.revision ? ` at ${r.revision}.` : '.'),
    '',
    `${first ? first.modelBytes.toLocaleString('en-US') : '?'}-byte int8 models (bench/ota/bench-model.ts, other weights for ` +
      `each deployment), ${first?.chunkSize ?? '?'}-byte chunks, window ${DEVICE_WINDOW} (the esp32 personality's), ` +
      'each deployment to `group:bench` with `maxConcurrent` = N. **System**: the real server as a child process (SQLite in a fresh ' +
      'temp dir, LOG_LEVEL=warn) and N `FleetSimulator` esp32 agents in the benchmark process (state on /dev/shm, ' +
      '`durable: false`, no inference, no telemetry). Each case deploys distinct models of the same size to ' +
      'the whole fleet one after the other: the first warms up the fresh server (its time, in brackets, is a ' +
      "cold server's first deployment), then the measured passes, of which the fastest counts, as the " +
      "floor's fastest pass does. Time from POST /api/deployments until the last agent " +
      'activated the artifact (SHA-256 and ECDSA verified, model loaded and self-tested; every agent reads back ' +
      'and hashes its own slot file, while the steps that give the same answer on every device for the same ' +
      'artifact, parsing the model, its self-test and the ECDSA check of the digest the agent has just ' +
      'confirmed, run once per artifact for the simulated fleet: devices/src/model-cache.ts); the server must then ' +
      'report the deployment `completed`, and every active slot file is hashed again by the benchmark. ' +
      '**Floor** (same run, same broker kind, a fresh broker process): N bare mqtt.js clients pull the same bytes ' +
      'in the same chunk size with the same window from a bare responder, QoS 0, no JSON, no CRC, no verification; ' +
      'after a 100-client warm-up, the fastest of as many passes as the system has measured ones. ' +
      "**Wire overhead**: MQTT bytes read + written on all devices' sockets during the deployment (offer, " +
      'QoS 0 requests, chunks, progress, QoS 1 result and status with their PUBACKs; through Mosquitto also the ' +
      'offer withdrawal, which the embedded broker clears without delivering it) over N x model bytes; in brackets ' +
      '`estimateOtaWire` (libs/protocol) for one device. **Memory**: peak RSS (VmHWM, reset just before the ' +
      'counted deployment) of the server (with aedes embedded: broker included), of Mosquitto, and of the benchmark ' +
      'process (the simulator). With Mosquitto (Debian 2.x, `allow_anonymous true`), the server and the devices ' +
      'connect with their usual credentials but the broker accepts them unchecked and applies no ACL, unlike the ' +
      'embedded broker, which authenticates every device against the database.',
    '',
    ...resultTable(r.rows),
    '',
    ...verdicts(r.rows, r.reference),
    ...(r.notes ?? []).map((n) => `- ${n}.`),
    '',
    `Plot: [${basename(r.svgPath)}](${basename(r.svgPath)}). Phases, in seconds after POST /api/deployments, as the devices saw them ` +
      '(offer received, first chunk request sent, last chunk accepted, last result sent):',
    '',
    ...phaseTable(r.rows),
  ];
  if (r.profile) {
    lines.push(
      '',
      `### Where the server spends its time (${r.profile.row.devices} devices, embedded aedes, \`--profile-server\`)`,
      '',
      `The same case once more with the server under \`node --cpu-prof\` (deployment took ${
        r.profile.row.system?.ms !== undefined
          ? `${(r.profile.row.system.ms / 1000).toFixed(2)} s`
          : 'over the cap'
      } under the profiler); self time of the samples taken between POST /api/deployments and the last activation ` +
        `(\`${r.profile.file}\`, open it in Chrome DevTools for call trees):`,
      '',
      ...profileTable(r.profile.summary, r.profile.windowMs, 'server'),
      '',
      '### Where the simulated devices spend their time (same run)',
      '',
      'The benchmark process (all simulated devices) profiled in-process through `node:inspector` over the ' +
        `same window (\`${r.profile.simulatorFile}\`): the devices share the machine's two cores with the server, ` +
        'so their CPU is part of the time measured.',
      '',
      ...profileTable(r.profile.simulator, r.profile.windowMs, 'simulator'),
    );
  }
  return lines.join('\n');
}
