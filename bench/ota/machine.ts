import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  /** 1, 5 and 15 minute load averages when read. */
  load: [number, number, number];
  node: string;
}

/** The machine a benchmark runs on, for the report (CPU model from /proc/cpuinfo on Linux). */
export function machineInfo(): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // Not Linux: os.cpus() named it.
  }
  const [a, b, c] = loadavg();
  return { cpu, cores: cpus().length, ramGiB: totalmem() / 2 ** 30, load: [a, b, c], node: process.version };
}

/** `1.48 / 1.71 / 1.41` */
export function formatLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}

/** `abc1234` or `abc1234+dirty`: the code measured (undefined outside a git checkout). */
export function gitRevision(): string | undefined {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: 'pipe',
    }).trim();
    return dirty ? `${rev} + uncommitted changes` : rev;
  } catch {
    return undefined;
  }
}
