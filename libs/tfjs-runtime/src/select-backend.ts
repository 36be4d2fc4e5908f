import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { probeTrainingStep } from './backend-probe';
import { registerTrainingKernels } from './register-training-kernels';
import { TfjsRuntimeError } from './tfjs-runtime-error';
import { useInstalledWasmBinaries } from './wasm-binaries';

/** Backends fleetprune knows how to run on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backend in use, why, and why each better one was passed over. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
  skipped: { name: BackendName; error: string }[];
}

/** Options for {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Order to try; default `['tensorflow', 'wasm', 'cpu']`. */
  prefer?: BackendName[];
  /** Where the one-line decision goes; default `console.info`. */
  log?: (line: string) => void;
}

const DEFAULTS: Required<SelectBackendOptions> = {
  prefer: ['tensorflow', 'wasm', 'cpu'],
  log: (line) => console.info(line),
};

// A variable, so TypeScript does not demand the optional package's types at compile time.
const TFJS_NODE = '@tensorflow/tfjs-node';

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')[0]
    .replace(/^TFJS runtime: /, '')
    .slice(0, 300);
}

/** Loads and activates one backend; resolves to a description of it, or throws why not. */
async function activate(name: BackendName): Promise<string> {
  if (name === 'tensorflow') {
    await import(TFJS_NODE);
    if (tf.findBackendFactory('tensorflow') === null) {
      throw new Error(
        'tfjs-node loaded but registered no backend with this @tensorflow/tfjs-core (duplicate copy?)',
      );
    }
  } else if (name === 'wasm') {
    useInstalledWasmBinaries();
    registerTrainingKernels();
  } else if (name === 'cpu') {
    registerTrainingKernels();
  } else {
    throw new TfjsRuntimeError(
      'UNKNOWN_BACKEND',
      `unknown backend '${String(name)}'; use tensorflow, wasm or cpu.`,
    );
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed to initialise`);
  probeTrainingStep();
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return `XNNPACK, ${simd ? 'SIMD' : 'no SIMD'}, ${getThreadsCount()} thread(s), with fleetprune gradient kernels`;
  }
  return name === 'tensorflow' ? 'native libtensorflow' : 'pure JS, with fleetprune gradient kernels';
}

async function choose(opts: Required<SelectBackendOptions>): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  for (const name of opts.prefer) {
    try {
      const detail = await activate(name);
      const why = skipped.map((s) => `${s.name} skipped: ${s.error}`);
      const reason = [`${detail}; training probe passed`, ...why].join('; ');
      opts.log(`[tfjs-runtime] using backend '${name}' (${reason})`);
      return { name, reason, skipped };
    } catch (error) {
      skipped.push({ name, error: firstLine(error) });
    }
  }
  const tried = skipped.map((s) => `${s.name}: ${s.error}`).join('; ');
  throw new TfjsRuntimeError(
    'NO_BACKEND',
    `no backend could run a training step (${tried}); check the install.`,
  );
}

let chosen: Promise<BackendChoice> | undefined;

/**
 * Picks the fastest backend that can actually train (tfjs-node, then wasm, then cpu by
 * default), activates it and logs the decision. Idempotent: later calls return the first
 * choice whatever their options, because tfjs has one global backend.
 * @example const { name } = await selectBackend(); // 'wasm' where tfjs-node cannot install
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  if (chosen === undefined) {
    chosen = choose({ ...DEFAULTS, ...options });
    // A total failure is not cached, so a caller may retry with other preferences.
    chosen.catch(() => (chosen = undefined));
  }
  return chosen;
}
