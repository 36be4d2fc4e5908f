// Tables and verdicts of the telemetry benchmark (report-doc.ts and report-svg.ts render them).
import type { MachineInfo } from '../ota/machine';
import type { CpuUsage } from './cpu-meter';
import { LatencyResult, quantile } from './latency-probe';

export const TARGET_RATIO = 0.7;
export const TARGET_P99_MS = 1000;

export interface PassResult {
  /** 1, 2, …; warm-up passes (0, -1, …) are logged, not reported. */
  pass: number;
  messages: number;
  bareMs: number;
  bareReceived: number;
  serverMs: number;
  serverStored: number;
  /** 1-minute load average when the pass started. */
  load1: number;
  bareCpu: CpuUsage;
  serverCpu: CpuUsage;
}

/** Everything one broker's run measured. */
export interface BrokerRun {
  broker: string;
  devices: number;
  /** Size of one telemetry window as published. */
  payloadBytes: number;
  loadAtStart: number[];
  loadAtEnd: number[];
  passes: PassResult[];
  latency: LatencyResult;
  stored: { expected: number; raw: number; rollupWindows: number; rawSamples: number; rollupSamples: number };
  rejected: Record<string, number>;
  totalS: number;
}

export interface TelemetryReport {
  date: string;
  command: string;
  revision?: string;
  machine: MachineInfo;
  perDevice: number;
  pollMs: number;
  runs: BrokerRun[];
}

const rate = (n: number, ms: number): number => n / (ms / 1000);
/** Whole number with thousands separators, `-` when not finite. */
export const fmt = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
/** Messages per second of a pass. */
export const bareRate = (p: PassResult): number => rate(p.bareReceived, p.bareMs);
export const serverRate = (p: PassResult): number => rate(p.serverStored, p.serverMs);
/** Server CPU per message, µs (the server process; with aedes it holds the broker too). */
const usPerMsg = (cpuS: number, n: number): number => (cpuS / n) * 1e6;

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Per pass: rates, ratio, CPU per message of the server process, and the neighbours' load. */
export function passTable(r: Pick<BrokerRun, 'passes' | 'broker'>): string[] {
  const out = [
    '| pass | messages | bare s | bare msg/s | server s | server msg/s | server / bare | server process CPU µs/msg (bare pass / server pass) | bare subscriber CPU µs/msg | other processes, cores (bare / server pass) | load 1 min |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of r.passes) out.push(passRow(p));
  return out;
}

/** One pass as a table row. */
export function passRow(p: PassResult): string {
  const ratio = serverRate(p) / bareRate(p);
  const cpu = (c: CpuUsage, n: number, who = 'server') => usPerMsg(c.procS[who] ?? NaN, n).toFixed(0);
  return (
    `| ${p.pass} | ${p.messages} | ${(p.bareMs / 1000).toFixed(2)} | ${fmt(bareRate(p))} | ` +
    `${(p.serverMs / 1000).toFixed(2)} | ${fmt(serverRate(p))} | ${(100 * ratio).toFixed(0)}% | ` +
    `${cpu(p.bareCpu, p.bareReceived)} / ${cpu(p.serverCpu, p.serverStored)} | ${cpu(p.bareCpu, p.bareReceived, 'bare')} | ` +
    `${p.bareCpu.othersCores.toFixed(2)} / ${p.serverCpu.othersCores.toFixed(2)} | ${p.load1.toFixed(2)} |`
  );
}

/** Min and median over the counted passes of the rates and the ratio. */
export function summaryTable(r: Pick<BrokerRun, 'passes'>): string[] {
  const row = (name: string, xs: number[], f: (x: number) => string) =>
    `| ${name} | ${f(Math.min(...xs))} | ${f(median(xs))} | ${f(Math.max(...xs))} |`;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  return [
    `| over ${r.passes.length} passes | min | median | max |`,
    '|---|---:|---:|---:|',
    row('bare subscriber msg/s', r.passes.map(bareRate), fmt),
    row('server stored msg/s', r.passes.map(serverRate), fmt),
    row(
      'server / bare',
      r.passes.map((p) => serverRate(p) / bareRate(p)),
      pct,
    ),
  ];
}

/** Latency distribution of the paced phase. */
export function latencyTable(l: LatencyResult): string[] {
  const q = (x: number) => quantile(l.latenciesMs, x).toFixed(0);
  return [
    '| offered msg/s | sent | queryable | p50 ms | p90 ms | p99 ms | max ms | polls |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(l.offeredPerS)} | ${l.sent} | ${l.confirmed} | ${q(0.5)} | ${q(0.9)} | ${q(0.99)} | ${q(1)} | ${l.polls} |`,
  ];
}

/** The target checks of one broker's run, one line each. */
export function verdicts(r: BrokerRun): string[] {
  const ratios = r.passes.map((p) => serverRate(p) / bareRate(p));
  const worst = Math.min(...ratios);
  const p99 = quantile(r.latency.latenciesMs, 0.99);
  const lost = r.stored.expected - r.stored.raw;
  const bareShort = r.passes.reduce((a, p) => a + (p.messages - p.bareReceived), 0);
  return [
    `- Ingestion / bare rate, worst of ${ratios.length} passes: **${(100 * worst).toFixed(0)}%**, median ${(100 * median(ratios)).toFixed(0)}% (target >= ${100 * TARGET_RATIO}% in every pass): ${worst >= TARGET_RATIO ? 'met' : 'NOT met'}.`,
    `- Publish-to-queryable-rollup p99: **${p99.toFixed(0)} ms** (target < ${TARGET_P99_MS} ms): ${p99 < TARGET_P99_MS && r.latency.confirmed === r.latency.sent ? 'met' : 'NOT met'}.`,
    `- Stored: ${r.stored.raw} raw windows of ${r.stored.expected} published (${lost === 0 ? 'none lost' : `${lost} LOST`}); rollups count ${r.stored.rollupWindows} windows and ${r.stored.rollupSamples} samples (raw: ${r.stored.rawSamples})${r.stored.rollupWindows === r.stored.raw && r.stored.rollupSamples === r.stored.rawSamples ? ', equal' : ', DIFFERENT'}; rejected by the server: ${Object.keys(r.rejected).length === 0 ? 'none' : JSON.stringify(r.rejected)}; the bare subscriber ${bareShort === 0 ? 'received every message' : `MISSED ${bareShort}`}.`,
  ];
}
