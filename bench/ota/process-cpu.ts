import { readFileSync } from 'node:fs';

/** Seconds per clock tick of /proc/<pid>/stat (USER_HZ, 100 on every mainstream Linux build). */
const TICK_S = 0.01;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after "(comm) state".
    return (Number(fields[11]) + Number(fields[12])) * TICK_S;
  } catch {
    return NaN;
  }
}
