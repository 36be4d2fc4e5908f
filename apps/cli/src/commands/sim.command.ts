import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { DATASET_NAMES, DatasetName } from '@fleetprune/datasets';
import {
  FleetDeviceSpec,
  FleetSimulator,
  DeviceError,
  formatFleetSummary,
  formatShiftSpec,
  parseShiftSpec,
  PersonalityName,
  SampleSource,
  ShiftSpec,
} from '@fleetprune/devices';
import { builtinDeviceProfile } from '@fleetprune/tflite';
import { CliError, ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface SimOptions extends ServerOptions {
  devices: string;
  profile: string;
  personality?: PersonalityName;
  duration?: string;
  dataset: string;
  dataDir?: string;
  inferenceMs: string;
  telemetryS: string;
  group?: string;
  shiftAt?: string;
  shift?: string;
}

interface Provisioning {
  mqttUrl: string;
  publicKeyPem: string;
  signatureAlg: string;
  protocolVersion: number;
}

interface Registration {
  id: string;
  mqtt: { username: string; password: string; clientId: string; topicPrefix: string };
}

/** Devices this CLI registered, per server URL (`<data-dir>/sim-devices.json`, mode 0600). */
type SimDeviceFile = Record<string, { id: string; password: string; profile: string; name: string }[]>;

/** `fleetprune sim`: register (or reuse) N simulated devices and run them against a server. */
export function simCommand(): Command {
  return withServerOptions(new Command('sim'))
    .description('run a fleet of simulated devices against a fleetprune server')
    .requiredOption('--devices <n>', 'number of devices')
    .requiredOption('--profile <name>', 'device profile (esp32, esp32-s3, rpi-zero-2w, rpi-4)')
    .option('--personality <kind>', 'esp32 | rpi (default: from the profile name)')
    .option('--duration <s>', 'stop after this many seconds (default: until Ctrl-C)')
    .option('--dataset <name>', `inference inputs: ${DATASET_NAMES.join(' | ')}`, 'fashion-mnist')
    .option('--data-dir <dir>', 'where sim-devices.json and device state live (default DATA_DIR or ./data)')
    .option('--inference-ms <ms>', 'per-device inference period, 0 = none', '1000')
    .option('--telemetry-s <s>', 'telemetry window length', '60')
    .option('--group <name>', 'group of newly registered devices')
    .option(
      '--shift-at <seconds>',
      'stage a distribution shift this long after the fleet starts (with --shift)',
    )
    .option(
      '--shift <kind:amount>',
      'noise:<stddev on the 0-1 scale> | classes:<c1,c2,...>[@share] (with --shift-at)',
    )
    .action(async (opts: SimOptions) => runSim(opts));
}

async function runSim(opts: SimOptions): Promise<void> {
  const count = positiveInt(opts.devices, '--devices');
  const profile = builtinDeviceProfile(opts.profile);
  if (!profile) throw new CliError(`unknown profile "${opts.profile}"; see "fleetprune profiles list"`);
  const personality: PersonalityName = opts.personality ?? (profile.name.startsWith('rpi') ? 'rpi' : 'esp32');
  if (personality !== 'esp32' && personality !== 'rpi')
    throw new CliError('--personality must be esp32 or rpi');
  if (!(DATASET_NAMES as readonly string[]).includes(opts.dataset))
    throw new CliError(`--dataset must be one of ${DATASET_NAMES.join(', ')}`);
  const samples = SampleSource.fromDataset(opts.dataset as DatasetName, { shuffleSeed: 1 });
  const shift = shiftOption(opts, samples.classNames.length);
  const dataDir = resolve(opts.dataDir ?? process.env.DATA_DIR ?? './data');
  const client = new ServerClient(opts);
  const devices = await ensureDevices(client, dataDir, count, profile.name, opts.group);
  const provisioning = await client.request<Provisioning>('GET', '/api/ota/provisioning');
  const fleet = new FleetSimulator({
    mqttUrl: provisioning.mqttUrl,
    publicKeyPem: provisioning.publicKeyPem,
    devices,
    profile,
    personality,
    stateDir: join(dataDir, 'sim-state'),
    samples,
    inferenceIntervalMs: nonNegative(opts.inferenceMs, '--inference-ms'),
    telemetryIntervalMs: positiveInt(opts.telemetryS, '--telemetry-s') * 1000,
    agentOptions: { durable: count <= 50 },
    shift,
    onShift: (spec, atMs) =>
      console.log(
        `shift ${spec ? formatShiftSpec(spec) : 'cleared'} began ${(atMs / 1000).toFixed(1)} s after start`,
      ),
  });
  console.log(`fleetprune sim: ${count} ${personality} devices (${profile.name}) on ${provisioning.mqttUrl}`);
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const onSigint = (): void => stop();
  process.once('SIGINT', onSigint);
  const durationS = opts.duration === undefined ? undefined : nonNegative(opts.duration, '--duration');
  const timer = durationS === undefined ? undefined : setTimeout(stop, durationS * 1000);
  const ticker = setInterval(() => console.log(formatFleetSummary(fleet.summary())), 5000);
  const start = fleet.start().then((r) => {
    if (r.failed.length > 0)
      console.error(`${r.failed.length} devices could not connect: ${r.failed[0].error}`);
  });
  await Promise.race([stopped, start.then(() => stopped)]);
  clearInterval(ticker);
  if (timer) clearTimeout(timer);
  process.off('SIGINT', onSigint);
  await fleet.stop();
  console.log(formatFleetSummary(fleet.summary()));
}

/** `--shift-at` and `--shift` together, checked against the dataset's classes; neither: no shift. */
function shiftOption(opts: SimOptions, classCount: number): { atMs: number; spec: ShiftSpec } | undefined {
  if (opts.shift === undefined && opts.shiftAt === undefined) return undefined;
  if (opts.shift === undefined || opts.shiftAt === undefined)
    throw new CliError('--shift-at and --shift go together, e.g. --shift-at 30 --shift noise:0.3');
  const atS = nonNegative(opts.shiftAt, '--shift-at');
  try {
    return { atMs: Math.round(atS * 1000), spec: parseShiftSpec(opts.shift, { classCount }) };
  } catch (error) {
    if (error instanceof DeviceError)
      throw new CliError(`--shift: ${error.message.replace(/^Devices: shift: /, '')}`);
    throw error;
  }
}

/** Reuses the devices registered before for this server and profile; registers the missing ones. */
async function ensureDevices(
  client: ServerClient,
  dataDir: string,
  count: number,
  profile: string,
  group: string | undefined,
): Promise<FleetDeviceSpec[]> {
  const file = join(dataDir, 'sim-devices.json');
  const known: SimDeviceFile = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as SimDeviceFile)
    : {};
  const mine = (known[client.baseUrl] ??= []);
  const usable = mine.filter((d) => d.profile === profile);
  for (let i = usable.length; i < count; i++) {
    const name = `sim-${profile}-${mine.length + 1}`;
    const answer = await client.request<Registration>('POST', '/api/devices', {
      name,
      profile,
      group,
      tags: ['simulated'],
    });
    const entry = { id: answer.mqtt.username, password: answer.mqtt.password, profile, name };
    mine.push(entry);
    usable.push(entry);
    // Saved after every registration: a password is shown only once.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(known, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return usable.slice(0, count).map((d) => ({ deviceId: d.id, password: d.password }));
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function nonNegative(value: string, flag: string): number {
  const n = Number(value);
  if (!(n >= 0)) throw new CliError(`${flag} must be a number >= 0, got "${value}"`);
  return n;
}
