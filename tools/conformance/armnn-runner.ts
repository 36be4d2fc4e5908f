/**
 * An independent TFLite engine for conformance checks: Arm NN 20.08's TfLiteParser and CpuRef
 * backend (Debian python3-pyarmnn), driven through armnn_run.py, one process per batch.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConformanceError } from './conformance-error';

/** Debian packages that provide Arm NN for armnn_run.py (CI installs them; 20.08 in bookworm). */
export const ARMNN_APT_PACKAGES: readonly string[] = Object.freeze([
  'python3-pyarmnn',
  'libarmnn-cpuref-backend22',
  'libarmnntfliteparser22',
]);

/** Options of {@link runArmnn}, merged over {@link DEFAULT_ARMNN_OPTIONS}. */
export interface ArmnnOptions {
  /** The interpreter pyarmnn is installed for: Debian's, not a pyenv/venv one. */
  python: string;
  /** Path of armnn_run.py; default: found beside this file or in the source tree. */
  script: string;
  /** Kill the process after this long; 0 scales with the batch: 60 s + 2 s per input record
   * (CpuRef is naive: ~0.15 s per 7 M-MAC image on a loaded 2.5 GHz core). */
  timeoutMs: number;
}

/** Defaults: /usr/bin/python3, the armnn_run.py of this source tree, a timeout scaled to the batch. */
export const DEFAULT_ARMNN_OPTIONS: Readonly<ArmnnOptions> = Object.freeze({
  python: '/usr/bin/python3',
  script: locateScript(),
  timeoutMs: 0,
});

// Probes that passed, per interpreter + script, so a batch loop does not spawn one each time.
const usable = new Set<string>();

// armnn_run.py's exit status when Arm NN cannot parse, optimize or load the model.
const ARMNN_RUN_LOAD_FAILED = 3;

function locateScript(): string {
  // Compiled copies (dist/tools/conformance, ...) have no .py beside them: look up the tree.
  let dir = __dirname;
  for (let up = 0; up < 6; up++) {
    for (const candidate of [join(dir, 'armnn_run.py'), join(dir, 'tools/conformance/armnn_run.py')]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  return join(__dirname, 'armnn_run.py');
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function execute(cmd: string, args: string[], timeoutMs: number): Promise<Finished> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

// pyarmnn prints three "does not support ... parser" notices on import; they are not errors.
function meaningful(stderr: string): string {
  const lines = stderr
    .split('\n')
    .filter((l) => l.trim() && !/does not support .* parser functionality/.test(l));
  return lines.slice(-6).join(' | ');
}

/** Whether Arm NN is usable here: resolves to null if so, else the reason (naming the apt packages). */
export async function armnnMissing(opts: Partial<ArmnnOptions> = {}): Promise<string | null> {
  const o = { ...DEFAULT_ARMNN_OPTIONS, ...opts };
  if (usable.has(`${o.python}\0${o.script}`)) return null;
  const hint = `install the Debian packages: apt-get install -y ${ARMNN_APT_PACKAGES.join(' ')}`;
  if (!existsSync(o.python)) return `${o.python} not found; ${hint}`;
  if (!existsSync(o.script)) return `armnn_run.py not found at ${o.script}`;
  const probe =
    "import pyarmnn as a; a.ITfLiteParser(); a.IRuntime(a.CreationOptions()).GetDeviceSpec(); print('ok')";
  try {
    const r = await execute(o.python, ['-c', probe], 60_000);
    if (r.code !== 0 || !r.stdout.includes('ok'))
      return `pyarmnn unusable (${meaningful(r.stderr)}); ${hint}`;
    usable.add(`${o.python}\0${o.script}`);
    return null;
  } catch (error) {
    return `cannot start ${o.python} (${String(error)}); ${hint}`;
  }
}

/**
 * Runs `.tflite` bytes on Arm NN CpuRef for every input record (all input tensors' bytes back
 * to back) and returns one output record per input. An engine crash (Arm NN 20.08 aborts on
 * per-channel FULLY_CONNECTED weights) rejects with ENGINE_ABORTED; it is a failure, not a skip.
 * @example const [y] = await runArmnn(bytes, [Int8Array.of(-96)]);
 */
export async function runArmnn(
  bytes: Uint8Array,
  inputs: readonly Int8Array[],
  opts: Partial<ArmnnOptions> = {},
): Promise<Int8Array[]> {
  const o = { ...DEFAULT_ARMNN_OPTIONS, ...opts };
  if (inputs.length === 0) return [];
  const size = inputs[0].byteLength;
  if (size === 0 || inputs.some((x) => x.byteLength !== size)) {
    throw new ConformanceError('INVALID_INPUT', 'Arm NN inputs must be non-empty records of equal size.');
  }
  const missing = await armnnMissing(o);
  if (missing !== null) throw new ConformanceError('ENGINE_MISSING', `Arm NN: ${missing}.`);
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-armnn-'));
  try {
    const [model, input, output] = ['model.tflite', 'inputs.bin', 'outputs.bin'].map((f) => join(dir, f));
    writeFileSync(model, bytes);
    const packed = new Uint8Array(size * inputs.length);
    inputs.forEach((x, i) => packed.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), i * size));
    writeFileSync(input, packed);
    const timeoutMs = o.timeoutMs > 0 ? o.timeoutMs : 60_000 + 2_000 * inputs.length;
    const started = Date.now();
    const r = await execute(o.python, [o.script, model, input, output], timeoutMs);
    if (r.signal !== null && Date.now() - started >= timeoutMs) {
      throw new ConformanceError(
        'RUN_FAILED',
        `Arm NN took over ${timeoutMs} ms for ${inputs.length} inputs; raise timeoutMs.`,
      );
    }
    if (r.signal !== null) {
      throw new ConformanceError(
        'ENGINE_ABORTED',
        `Arm NN died with ${r.signal} on this model (20.08 aborts on per-channel FULLY_CONNECTED weights; ` +
          `quantize with per-tensor dense weights). stderr: ${meaningful(r.stderr) || '(empty)'}`,
      );
    }
    if (r.code !== 0) {
      const code = r.code === ARMNN_RUN_LOAD_FAILED ? 'LOAD_FAILED' : 'RUN_FAILED';
      throw new ConformanceError(code, `Arm NN exited with status ${r.code}: ${meaningful(r.stderr)}`);
    }
    const out = readFileSync(output);
    const per = out.length / inputs.length;
    return inputs.map(
      (_, i) => new Int8Array(out.buffer.slice(out.byteOffset + i * per, out.byteOffset + (i + 1) * per)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
