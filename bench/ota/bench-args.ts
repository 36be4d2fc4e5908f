// Command line of bench/ota.ts.
export type BrokerName = 'aedes' | 'mosquitto';

export interface OtaBenchArgs {
  /** Fleet sizes in ascending order; the first is the reference size, the rest probe the limit. */
  devices: number[];
  chunkSize: number;
  brokers: BrokerName[];
  doc: string;
  svg: string;
  /** Longest one deployment (and one floor run) may take; a bigger N is not tried after that. */
  capS: number;
  /** Sizes are not tried once they would likely take the run past this many minutes (profile excluded). */
  budgetMin: number;
  /** Measured deployments per case after the warm-up one; the fastest counts (as the floor's fastest pass does). */
  passes: number;
  /** Run the first size through the embedded broker once more with the server under --cpu-prof. */
  profileServer: boolean;
  /** Where .cpuprofile files are kept. */
  profileDir: string;
}

export const DEFAULT_ARGS: Readonly<OtaBenchArgs> = {
  devices: [1000, 2000, 4000, 8000],
  chunkSize: 8192,
  brokers: ['aedes', 'mosquitto'],
  doc: 'docs/benchmarks.md',
  svg: 'docs/ota-benchmark.svg',
  capS: 60,
  budgetMin: 13,
  passes: 2,
  profileServer: false,
  profileDir: '.tmp/bench',
};

export const USAGE =
  'node dist/bench/ota.js [--devices 1000,2000] [--chunk-size 8192] [--brokers aedes,mosquitto] ' +
  '[--doc docs/benchmarks.md] [--svg docs/ota-benchmark.svg] [--cap-s 60] [--budget-min 13] [--passes 2] [--profile-server] ' +
  '[--profile-dir .tmp/bench]';

/** Parses argv (without node and script); throws a message naming the bad flag. */
export function parseOtaBenchArgs(argv: string[]): OtaBenchArgs {
  const args: OtaBenchArgs = {
    ...DEFAULT_ARGS,
    devices: [...DEFAULT_ARGS.devices],
    brokers: [...DEFAULT_ARGS.brokers],
  };
  const positiveInt = (flag: string, raw: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1)
      throw new Error(`${flag} wants a positive integer, got "${raw}"\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--profile-server') {
      args.profileServer = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--devices')
      args.devices = value
        .split(',')
        .map((v) => positiveInt(flag, v))
        .sort((a, b) => a - b);
    else if (flag === '--chunk-size') args.chunkSize = positiveInt(flag, value);
    else if (flag === '--cap-s') args.capS = positiveInt(flag, value);
    else if (flag === '--budget-min') args.budgetMin = positiveInt(flag, value);
    else if (flag === '--passes') args.passes = positiveInt(flag, value);
    else if (flag === '--doc') args.doc = value;
    else if (flag === '--svg') args.svg = value;
    else if (flag === '--profile-dir') args.profileDir = value;
    else if (flag === '--brokers') {
      const names = value.split(',');
      for (const n of names)
        if (n !== 'aedes' && n !== 'mosquitto')
          throw new Error(`--brokers takes aedes and/or mosquitto, got "${n}"`);
      args.brokers = names as BrokerName[];
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return args;
}
