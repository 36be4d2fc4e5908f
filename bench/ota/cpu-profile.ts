// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and ranks functions by self time.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimeRow {
  /** `name (file:line)`, with the path relative to `root`. */
  fn: string;
  selfMs: number;
  /** Share of all sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  top: SelfTimeRow[];
}

export interface ProfileWindow {
  /** Only samples taken in [fromUs, toUs] count: CLOCK_MONOTONIC microseconds, which is what
   * V8 stamps samples with on Linux and what `process.hrtime` reads in any process. */
  fromUs?: number;
  toUs?: number;
  top?: number;
  /** File paths are shown relative to this (default: the working directory). */
  root?: string;
}

/** Monotonic clock in microseconds, comparable with a .cpuprofile's timestamps on Linux. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * Self time per function: the interval from one sample to the next is charged to the node the
 * first one hit (V8 stores the delta before sample i in timeDeltas[i]), then nodes with the
 * same function, file and line are merged, since V8 keeps one node per distinct call path.
 */
export function summarizeCpuProfile(path: string, window: ProfileWindow = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const from = window.fromUs ?? -Infinity;
  const to = window.toUs ?? Infinity;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byNode = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const next = i + 1 < samples.length ? at + (deltas[i + 1] ?? 0) : profile.endTime;
    if (at < from || at > to) continue;
    byNode.set(samples[i], (byNode.get(samples[i]) ?? 0) + Math.max(0, next - at));
  }
  const root = window.root ?? process.cwd();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const file = url ? relative(root, url.replace(/^file:\/\//, '')) : '';
    const key = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const top = [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, window.top ?? 10)
    .map(([fn, us]) => ({ fn, selfMs: us / 1000, percent: (us / Math.max(1, totalUs)) * 100 }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, top };
}
