// The closed-loop benchmark's table, docs/benchmarks.md section and plot.
import type { ScenarioResult } from './scenario';

/** Context printed with the figures. */
export interface ClosedLoopReport {
  date: string;
  machine: string;
  load: string;
  devices: number;
  shift: string;
  targetAccuracy: number;
  inferenceMs: number;
  result: ScenarioResult;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');

/** The decisions with their time after the shift. */
export function timelineTable(r: ScenarioResult): string[] {
  return [
    '| s after shift | decision | message |',
    '|---:|---|---|',
    ...r.events.map((e) => `| ${e.atS.toFixed(1)} | ${e.type} | ${e.message.replace(/\|/g, '/')} |`),
  ];
}

/** Accuracy before, during and after, and the times that matter. */
export function summaryTable(report: ClosedLoopReport): string[] {
  const r = report.result;
  return [
    '| measure | value |',
    '|---|---:|',
    `| field accuracy, clean inputs (incumbent) | ${pct(r.clean)} |`,
    `| field accuracy after the shift (incumbent) | ${pct(r.drifted)} |`,
    `| field accuracy after recovery (promoted model, 10 s) | ${pct(r.recovered)} |`,
    `| shift -> every device on the promoted model | ${r.recoveryS.toFixed(1)} s |`,
    `| shift -> first 2 s bucket back at/above the ${pct(report.targetAccuracy)} target | ${r.backAboveTargetS === undefined ? 'never' : `${r.backAboveTargetS.toFixed(1)} s`} |`,
    `| re-pruning job (train, prune, fine-tune, int8 export) | ${r.pruneJobS.toFixed(1)} s |`,
  ];
}

/** The docs/benchmarks.md section. */
export function closedLoopSection(report: ClosedLoopReport): string {
  return [
    '## Closed loop: time from a distribution shift to recovered accuracy',
    '',
    `Run ${report.date} on ${report.machine}, load ${report.load}. \`node dist/bench/closed-loop.js\`:`,
    `${report.devices} simulated rpi-4 devices (one inference every ${report.inferenceMs} ms each, a telemetry window`,
    'every second) over the embedded broker, one server process with SQLite. The incumbent is a',
    "Fashion-MNIST MLP (784-64-10) pruned to 25% of its parameters; at t = 0 every device's input",
    `shifts (\`${report.shift}\`). Policy: target ${pct(report.targetAccuracy)}, 5 s window, 500 labelled`,
    "samples, 95% one-sided bounds, re-prune keeping 2.5x the incumbent's share, fine-tuned with",
    'the uploaded field samples at 50% of the data, 25% canary, 500 labelled samples per side.',
    '',
    ...summaryTable(report),
    '',
    ...timelineTable(report.result),
    '',
    '![field accuracy over time](closed-loop-benchmark.svg)',
  ].join('\n');
}

/** Field accuracy per bucket against time, with the target and the decisions marked. */
export function closedLoopSvg(report: ClosedLoopReport): string {
  const { series, events } = report.result;
  const W = 800;
  const H = 360;
  const m = { left: 60, right: 20, top: 40, bottom: 50 };
  const x0 = Math.min(0, ...series.map((p) => p.atS));
  const x1 = Math.max(10, ...series.map((p) => p.atS), ...events.map((e) => e.atS));
  const px = (s: number) => m.left + ((s - x0) / (x1 - x0)) * (W - m.left - m.right);
  const py = (a: number) => H - m.bottom - a * (H - m.top - m.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14">Field accuracy of the fleet (2 s buckets); shift at t = 0</text>`,
    `<line x1="${m.left}" y1="${py(0)}" x2="${W - m.right}" y2="${py(0)}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${py(0)}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">seconds after the shift</text>`,
  ];
  for (let a = 0; a <= 1.0001; a += 0.2) {
    parts.push(`<line x1="${m.left}" y1="${py(a)}" x2="${W - m.right}" y2="${py(a)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${py(a) + 4}" text-anchor="end">${Math.round(a * 100)}%</text>`);
  }
  const step = Math.max(10, Math.ceil((x1 - x0) / 10 / 10) * 10);
  for (let s = Math.ceil(x0 / step) * step; s <= x1; s += step)
    parts.push(`<text x="${px(s)}" y="${py(0) + 16}" text-anchor="middle">${s}</text>`);
  parts.push(
    `<line x1="${m.left}" y1="${py(report.targetAccuracy)}" x2="${W - m.right}" y2="${py(report.targetAccuracy)}" stroke="#d62728" stroke-dasharray="5,4"/>`,
    `<text x="${W - m.right}" y="${py(report.targetAccuracy) - 4}" text-anchor="end" fill="#d62728">target</text>`,
  );
  const marks = events.filter((e) => !e.type.startsWith('rollout_'));
  marks.forEach((e, i) => {
    parts.push(
      `<line x1="${px(e.atS)}" y1="${m.top}" x2="${px(e.atS)}" y2="${py(0)}" stroke="#999" stroke-dasharray="2,3"/>`,
    );
    parts.push(`<text x="${px(e.atS) + 3}" y="${m.top + 12 + (i % 4) * 13}" fill="#555">${e.type}</text>`);
  });
  const path = series
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.atS).toFixed(1)},${py(p.accuracy).toFixed(1)}`)
    .join(' ');
  parts.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>`, '</svg>');
  return parts.join('\n');
}
