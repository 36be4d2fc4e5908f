/**
 * Shared parts of the ESP32 firmware e2e specs (test/firmware-esp32/): paths, tool detection,
 * the host-built C runner of firmware-templates/esp32/test/host, and the vector helpers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '@fleetprune/protocol';

export { createRng as rng } from '@fleetprune/datasets';

const ROOT = join(__dirname, '../../..');
const TEMPLATE = join(ROOT, 'firmware-templates/esp32');
export const HOST = join(TEMPLATE, 'test/host');
export const MODEL = join(ROOT, '../shared/testdata/tflite/person_detect.tflite');

function present(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_GCC = present('gcc') && present('g++') && present('make');
export const HAS_ARM = present('arm-none-eabi-g++');
if (!HAS_GCC)
  console.warn(
    'gcc, g++ or make not found: skipping the ESP32 firmware host tests (apt-get install -y gcc g++ make).',
  );
// describe.skip without the toolchain; the warning above says why.
const withGcc = HAS_GCC ? describe : describe.skip;

export const intBelow = (r: () => number, n: number) => Math.floor(r() * n);
export const bytesOf = (r: () => number, n: number) => Uint8Array.from({ length: n }, () => intBelow(r, 256));
export const hex = (b: Uint8Array | string) => (b.length === 0 ? '-' : Buffer.from(b).toString('hex'));

/** Ascending cut points inside [1, len), comma-separated, or "-" for one piece. */
export function splits(r: () => number, len: number): string {
  const cuts = new Set<number>();
  const n = intBelow(r, 5);
  for (let i = 0; i < n && len > 1; i++) cuts.add(1 + intBelow(r, len - 1));
  return cuts.size ? [...cuts].sort((a, b) => a - b).join(',') : '-';
}

/** A ProtocolError's code and the field it names ('-' when none), as the C runner prints them. */
export function tsVerdict(
  fn: () => unknown,
): { ok: true; value: unknown } | { ok: false; code: string; field: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    const item = /(\w+)\[\d+\] field "item"/.exec(err.message);
    const field = item ? item[1] : (/field "([^"]+)"/.exec(err.message)?.[1] ?? '-');
    return { ok: false, code: err.code, field: err.code === 'UNSUPPORTED_VERSION' ? 'v' : field };
  }
}

/** Title of the suite that every spec driving the host runner opens. */
export const HOST_SUITE = 'ESP32 firmware C core against libs/protocol';

/** Feeds `lines` to one mode of the host runner and returns its non-empty output lines. */
export type HostRun = (mode: string, lines: string[]) => string[];

/**
 * Builds fp_host_runner with make into a fresh temporary folder before the enclosing
 * describe's tests (removed after them) and returns the function that runs it.
 */
function useHostRunner(): HostRun {
  let work: string;
  let runner: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-'));
    execFileSync('make', ['-s', '-j2', '-C', HOST, `OUT=${join(work, 'build')}`], { stdio: 'pipe' });
    runner = join(work, 'build', 'fp_host_runner');
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return (mode, lines) =>
    execFileSync(runner, [mode], {
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // The C core never allocates; the runner's own vector buffers are not worth freeing.
      env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
    })
      .split('\n')
      .filter((l) => l !== '');
}

/**
 * Opens the host-runner suite: skipped without gcc/g++/make, otherwise `body` declares its
 * tests with the `run` of a runner built for this file.
 */
export function describeHostRunner(body: (run: HostRun) => void): void {
  withGcc(HOST_SUITE, () => body(useHostRunner()));
}
