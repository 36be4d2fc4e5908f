// CPU used during a pass, from /proc (Linux): by each of the benchmark's own processes, and by
// everything else on the machine. On a shared machine the rates alone cannot say whether a
// slow pass was slow code or a busy neighbour; CPU per message and the others' share can.
import { readFileSync } from 'node:fs';
import { processCpuSeconds } from '../ota/process-cpu';

/** Seconds per /proc/stat tick (USER_HZ, 100 on every mainstream Linux build). */
const TICK_S = 0.01;

export interface CpuSnapshot {
  at: number;
  /** Busy CPU seconds of the whole machine since boot (NaN off Linux). */
  machineS: number;
  /** CPU seconds of each watched process. */
  procS: Record<string, number>;
}

/** What a pass cost: wall time, CPU of each watched process, and of every other process. */
export interface CpuUsage {
  wallS: number;
  procS: Record<string, number>;
  /** Cores kept busy by processes other than the watched ones, on average over the pass. */
  othersCores: number;
}

function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) * TICK_S;
  } catch {
    return NaN;
  }
}

/** Reads the counters now for the named processes. */
export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const procS: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) procS[name] = processCpuSeconds(pid);
  return { at: Date.now(), machineS: machineBusySeconds(), procS };
}

/** The usage between two snapshots of the same processes. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const wallS = (b.at - a.at) / 1000;
  const procS: Record<string, number> = {};
  let ours = 0;
  for (const name of Object.keys(a.procS)) {
    procS[name] = b.procS[name] - a.procS[name];
    ours += procS[name];
  }
  const others = b.machineS - a.machineS - ours;
  return { wallS, procS, othersCores: wallS > 0 ? Math.max(0, others) / wallS : NaN };
}
