// Benchmark: time from a distribution shift in the field to a fleet running a recovered model.
// Usage: node dist/bench/closed-loop.js [--devices 24] [--shift noise:0.35] [--target 0.7]
//        [--inference-ms 20] [--doc] [--svg]
import { writeFileSync } from 'node:fs';
import { upsertMarkdownSection } from '../tools/conformance/markdown-section';
import { formatLoad, machineInfo } from './ota/machine';
import {
  closedLoopSection,
  closedLoopSvg,
  ClosedLoopReport,
  summaryTable,
  timelineTable,
} from './closed-loop/report';
import { runClosedLoopScenario } from './closed-loop/scenario';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--')
    ? process.argv[i + 1]
    : fallback;
}

function positive(name: string, fallback: string): number {
  const value = Number(flag(name, fallback));
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
}

async function main(): Promise<void> {
  const devices = positive('devices', '24');
  const shift = flag('shift', 'noise:0.35');
  const targetAccuracy = positive('target', '0.7');
  const inferenceMs = positive('inference-ms', '20');
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const result = await runClosedLoopScenario({ devices, shift, targetAccuracy, inferenceMs, log });
  const machine = machineInfo();
  const report: ClosedLoopReport = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${machine.cpu} x${machine.cores}, ${machine.ramGiB.toFixed(0)} GiB, Node ${machine.node}`,
    load: formatLoad(machine.load),
    devices,
    shift,
    targetAccuracy,
    inferenceMs,
    result,
  };
  console.log(['', ...summaryTable(report), '', ...timelineTable(result)].join('\n'));
  if (process.argv.includes('--doc'))
    upsertMarkdownSection('docs/benchmarks.md', 'closed-loop-benchmark', closedLoopSection(report));
  if (process.argv.includes('--svg')) writeFileSync('docs/closed-loop-benchmark.svg', closedLoopSvg(report));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
