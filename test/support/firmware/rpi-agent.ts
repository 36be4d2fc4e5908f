/**
 * Shared parts of the Raspberry Pi agent e2e specs (test/firmware-rpi/): the interpreter check,
 * paths, a child process with a deadline, and a bounded wait.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
export const TEMPLATE = join(__dirname, '../../../firmware-templates/rpi');
/** A small real model: codec vectors and placeholder renders need some `.tflite` bytes. */
export const HELLO_WORLD = join(__dirname, '../../../../shared/testdata/tflite/hello_world_int8.tflite');

const ready = spawnSync(PYTHON, ['-c', 'import paho.mqtt.client, cryptography'], { stdio: 'ignore' });
const pythonReady = ready.status === 0;
if (!pythonReady)
  console.warn(
    `SKIPPED firmware-rpi e2e: ${PYTHON} cannot import paho-mqtt and cryptography (apt install python3-paho-mqtt python3-cryptography)`,
  );
/** `describe` when the agent's Python dependencies import, else `describe.skip`. */
export const describeWithPython = pythonReady ? describe : describe.skip;

/** Runs a command with a deadline; resolves with exit code and output, never rejects. */
export function runCommand(
  file: string,
  args: string[],
  opts: { cwd?: string; input?: string; ms?: number } = {},
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      file,
      args,
      {
        cwd: opts.cwd,
        timeout: opts.ms ?? 60_000,
        maxBuffer: 16 << 20,
        // No __pycache__ in the template folder the renderer copies from.
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** Polls `check` every 20 ms; throws naming `what` when `ms` pass first. */
export async function waitFor(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
