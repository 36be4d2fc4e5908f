import { main } from '../../apps/cli/src/main';

/** Runs the CLI in-process and captures what it prints and its exit code. */
export async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  // Progress bars write to stderr directly; keep them out of the test output.
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.exitCode = 0;
  try {
    await main(['node', 'fleetprune', ...args]);
    return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    process.exitCode = 0;
  }
}
