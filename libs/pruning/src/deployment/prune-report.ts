import type { ProfileFit } from './deployed-footprint';
import type { PruneHistoryEntry, PruneResult } from '../schedule/prune-options';

/** Accuracy of one model on the test split, float (Layers) and int8 (exported `.tflite`). */
export interface TestAccuracy {
  readonly float: number;
  readonly int8: number;
}

/** The per-run report of issue 4 item 6, as written to report.json. */
export interface PruneReport {
  readonly profile: string;
  readonly mode: 'most-accurate' | 'smallest';
  readonly scorer: string;
  readonly distill: boolean;
  readonly epochs: number;
  readonly seed: number;
  readonly backend: string;
  readonly wallTimeS: number;
  readonly budgetMet: boolean;
  /** Output channels of every Conv2D/Dense layer. */
  readonly widths: PruneResult['widths'];
  /** Deployed counts, BatchNorm folded. */
  readonly params: { readonly before: number; readonly after: number };
  readonly macs: { readonly before: number; readonly after: number };
  readonly validation: { readonly before: number; readonly after: number };
  readonly test: { readonly count: number; readonly before: TestAccuracy; readonly after: TestAccuracy };
  readonly tflite: {
    readonly bytesBefore: number;
    readonly bytes: number;
    readonly arenaBytes: number;
    readonly arenaBytes32: number;
    readonly ops: readonly string[];
  };
  /** The target profile first, then every other profile asked for; latency is MACs / throughput. */
  readonly profiles: readonly ProfileFit[];
  readonly history: readonly PruneHistoryEntry[];
}

/** Plain text summary of a report for a terminal, one fact per line. */
export function formatPruneReport(report: PruneReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const widths = report.widths.map((w) => `${w.layer} ${w.before}->${w.after}`).join(', ');
  const target = report.profiles[0];
  return [
    `profile ${report.profile} (${report.mode}), scorer ${report.scorer}, seed ${report.seed}, backend ${report.backend}`,
    `widths: ${widths}`,
    `params ${report.params.before} -> ${report.params.after} (${pct(report.params.after / report.params.before)} kept), ` +
      `MACs ${report.macs.before} -> ${report.macs.after}`,
    `test accuracy (${report.test.count} images): float ${pct(report.test.before.float)} -> ${pct(report.test.after.float)}, ` +
      `int8 ${pct(report.test.before.int8)} -> ${pct(report.test.after.int8)}`,
    `.tflite ${report.tflite.bytesBefore} -> ${report.tflite.bytes} bytes, arena ${report.tflite.arenaBytes32} bytes (32-bit)`,
    `${target.profile}: ${target.fits ? 'fits' : `does not fit (${target.reasons.join('; ')})`}` +
      `${target.estimatedLatencyMs !== undefined ? `, about ${target.estimatedLatencyMs.toFixed(1)} ms` : ''}`,
    `wall time ${report.wallTimeS.toFixed(1)} s`,
  ].join('\n');
}
