// Command line of bench/telemetry.ts.

export interface TelemetryBenchArgs {
  /** Devices (one MQTT connection each), registered through the API. */
  devices: number;
  /** Windows each device sends per pass: at most the server's burst (20) so none is rate-limited. */
  perDevice: number;
  /** Bare/server pass pairs, alternated. */
  passes: number;
  /** Latency phase: windows per second per device (the server allows 5) and its length. */
  latencyRate: number;
  latencyS: number;
  pollMs: number;
  /** Write the docs/benchmarks.md section / the SVG plot (paths), or not. */
  doc: string | undefined;
  svg: string | undefined;
}

export const DEFAULT_DOC = 'docs/benchmarks.md';
export const DEFAULT_SVG = 'docs/telemetry-benchmark.svg';

export const USAGE =
  'node dist/bench/telemetry.js [--devices 1000] [--per-device 20] [--passes 2] [--latency-rate 1] ' +
  `[--latency-s 10] [--poll-ms 50] [--doc [${DEFAULT_DOC}]] [--svg [${DEFAULT_SVG}]]`;

/** Parses argv (without node and script); throws a message naming the bad flag. */
export function parseTelemetryBenchArgs(argv: string[]): TelemetryBenchArgs {
  const args: TelemetryBenchArgs = {
    devices: 1000,
    perDevice: 20,
    passes: 2,
    latencyRate: 1,
    latencyS: 10,
    pollMs: 50,
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
        args.devices = Math.round(number(flag, value, 20_000));
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
      case '--latency-rate':
        args.latencyRate = number(flag, value, 100);
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
