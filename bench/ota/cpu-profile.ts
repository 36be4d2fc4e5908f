// Reads a V8 .cpuprofile (what `node --cpu-prof` writes): self time per function, self time
// per source (package or folder), and inclusive time of the application's own functions.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface TimeRow {
  /** `name (file:line)` with the path relative to the root, or a source name. */
  name: string;
  ms: number;
  /** Share of all sampled time, idle included. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Functions by self time. */
  top: TimeRow[];
  /** Self time summed by where the code lives: an npm package, a repo folder, node internals. */
  bySource: TimeRow[];
  /** Functions under `ownPrefix` by inclusive time (their synchronous callees included). */
  ownInclusive: TimeRow[];
}

export interface ProfileWindow {
  /** Only samples taken in [fromUs, toUs]: CLOCK_MONOTONIC microseconds, which V8 stamps
   * samples with on Linux and `process.hrtime` reads in any process. */
  fromUs?: number;
  toUs?: number;
  top?: number;
  /** Paths are shown relative to this (default: the working directory). */
  root?: string;
  /** Files of "our" code for the inclusive ranking (default `dist/apps/`). */
  ownPrefix?: string;
}

/** Monotonic clock in microseconds, comparable with a .cpuprofile's timestamps on Linux. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Summarizes the samples of `path` taken inside the window. */
export function summarizeCpuProfile(path: string, window: ProfileWindow = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const root = window.root ?? process.cwd();
  const ownPrefix = window.ownPrefix ?? 'dist/apps/';
  const selfUs = sampleTimes(profile, window.fromUs ?? -Infinity, window.toUs ?? Infinity);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const bySource = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  // Walk the call tree once, keeping the distinct own functions on the path (recursion counted once).
  const walk = (id: number, ownOnPath: readonly string[]): void => {
    const node = nodes.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? relative(root, url.replace(/^file:\/\//, '')) : '';
    const key = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
    const path = file.startsWith(ownPrefix) && !ownOnPath.includes(key) ? [...ownOnPath, key] : ownOnPath;
    const us = selfUs.get(id) ?? 0;
    if (us > 0) {
      totalUs += us;
      if (functionName === '(idle)') idleUs += us;
      else {
        add(self, key, us);
        add(bySource, sourceOf(file, functionName), us);
        for (const own of path) add(inclusive, own, us);
      }
    }
    for (const child of node.children ?? []) walk(child, path);
  };
  walk(profile.nodes[0].id, []);
  const rank = (m: Map<string, number>, n: number): TimeRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: (us / Math.max(1, totalUs)) * 100 }));
  const top = window.top ?? 10;
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    top: rank(self, top),
    bySource: rank(bySource, top),
    ownInclusive: rank(inclusive, top),
  };
}

/** Microseconds per node id: the interval from a sample to the next is charged to the first. */
function sampleTimes(profile: CpuProfile, from: number, to: number): Map<number, number> {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const out = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0; // timeDeltas[i] is the time since the sample before i
    const next = i + 1 < samples.length ? at + (deltas[i + 1] ?? 0) : profile.endTime;
    if (at >= from && at <= to) add(out, samples[i], Math.max(0, next - at));
  }
  return out;
}

/** `sqlite3`, `@nestjs/core`, `dist/apps/server`, `node:internal`, or the V8 pseudo-frame. */
function sourceOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file)?.[1];
  if (pkg) return pkg;
  if (file.startsWith('node:')) return 'node: built-ins';
  const parts = file.split('/');
  return parts.slice(0, parts[0] === 'dist' ? 3 : 2).join('/');
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}
