// Command line of bench/telemetry.ts.

/** Where the devices, the server and the bare subscriber meet. */
export type TelemetryBroker = 'aedes' | 'mosquitto';

export interface TelemetryBenchArgs {
  /** Fleet sizes, one run each (one MQTT connection per device, registered through the API). */
  devices: number[];
  /** Windows each device sends per pass: at most the server's burst (20) so none is rate-limited. */
  perDevice: number;
  /** Bare/server pass pairs, alternated, that count; `warmup` more run first and do not. */
  passes: number;
  warmup: number;
  /** aedes: the server's embedded broker; mosquitto: a fresh Mosquitto the server joins (MQTT_URL). */
  brokers: TelemetryBroker[];
  /** Latency phase: windows per second per device (the server allows 5) and its length. */
  latencyRate: number;
  latencyS: number;
  /** Devices that take part in the latency phase (the first ones of the fleet). */
  latencyDevices: number;
  pollMs: number;
  /** Write a V8 CPU profile of the server process into this directory (where its time goes). */
  cpuProfDir: string | undefined;
  /** Write the docs/benchmarks.md section / the SVG plot (paths), or not. */
  doc: string | undefined;
  svg: string | undefined;
}

export const DEFAULT_DOC = 'docs/benchmarks.md';
export const DEFAULT_SVG = 'docs/telemetry-benchmark.svg';

export const USAGE =
  'node dist/bench/telemetry.js [--devices 1000,4000] [--per-device 20] [--passes 3] [--warmup 1] ' +
  '[--brokers aedes[,mosquitto]] [--latency-rate 1] ' +
  `[--latency-s 10] [--latency-devices 1000] [--poll-ms 50] [--cpu-prof <dir>] [--doc [${DEFAULT_DOC}]] [--svg [${DEFAULT_SVG}]]`;

/** Parses argv (without node and script); throws a message naming the bad flag. */
export function parseTelemetryBenchArgs(argv: string[]): TelemetryBenchArgs {
  const args: TelemetryBenchArgs = {
    devices: [1000, 4000],
    perDevice: 20,
    passes: 3,
    warmup: 1,
    brokers: ['aedes'],
    latencyRate: 1,
    latencyS: 10,
    latencyDevices: 1000,
    pollMs: 50,
    cpuProfDir: undefined,
    doc: undefined,
    svg: undefined,
  };
  const number = (flag: string, raw: string | undefined, max: number): number => {
    const n = Number(raw);
    if (raw === undefined || !Number.isFinite(n) || n <= 0 || n > max)
      throw new Error(`${flag} wants a number in (0, ${max}], got "${raw ?? ''}"\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const optionalPath = (fallback: string): string => {
      if (value === undefined || value.startsWith('--')) return fallback;
      i++;
      return value;
    };
    switch (flag) {
      case '--devices':
        args.devices = (value ?? '').split(',').map((n) => Math.round(number(flag, n, 20_000)));
        i++;
        break;
      case '--per-device':
        args.perDevice = Math.round(number(flag, value, 1000));
        i++;
        break;
      case '--passes':
        args.passes = Math.round(number(flag, value, 10));
        i++;
        break;
      case '--warmup':
        args.warmup = value === '0' ? 0 : Math.round(number(flag, value, 10));
        i++;
        break;
      case '--brokers':
        args.brokers = (value ?? '').split(',').map((name) => {
          if (name !== 'aedes' && name !== 'mosquitto')
            throw new Error(`--brokers takes aedes and/or mosquitto, got "${name}"\n${USAGE}`);
          return name;
        });
        i++;
        break;
      case '--latency-rate':
        args.latencyRate = number(flag, value, 100);
        i++;
        break;
      case '--latency-devices':
        args.latencyDevices = Math.round(number(flag, value, 20_000));
        i++;
        break;
      case '--latency-s':
        args.latencyS = number(flag, value, 600);
        i++;
        break;
      case '--poll-ms':
        args.pollMs = Math.round(number(flag, value, 5000));
        i++;
        break;
      case '--cpu-prof':
        if (value === undefined || value.startsWith('--'))
          throw new Error(`--cpu-prof wants a directory\n${USAGE}`);
        args.cpuProfDir = value;
        i++;
        break;
      case '--doc':
        args.doc = optionalPath(DEFAULT_DOC);
        break;
      case '--svg':
        args.svg = optionalPath(DEFAULT_SVG);
        break;
      default:
        throw new Error(`unknown flag "${flag}"\n${USAGE}`);
    }
  }
  return args;
}
