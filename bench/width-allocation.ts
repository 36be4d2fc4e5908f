// How much the spread of a parameter budget over the layers matters, apart from any scorer:
// each allocation (channels kept per prunable group) is cut from the dense model in one step,
// keeping the channels with the largest kernel L1 norm in each group, then fine-tuned for the
// protocol's budget (5 epochs, Adam 1e-3 cosine-decayed to a tenth, batch 128).
// Build, then:
//   node dist/bench/width-allocation.js --widths 31,39,14,57 --widths 26,35,22,41 [--seeds 1,2,3]
//     [--epochs 5] [--model <model.json>] [--out bench/results/width-allocation.jsonl]
// Rows are appended to --out as each run ends; a (widths, seed, epochs) already there is skipped,
// so the same command resumes. The table of every row in --out is printed at the end.
import { appendFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, splitDataset } from '@fleetprune/datasets';
import {
  buildPruningGraph,
  countParams,
  createScorer,
  evaluateAccuracy,
  imageSetData,
  pruneChannels,
  toTrainingData,
  trainClassifier,
  type DataInput,
  type KeepMap,
  type PruningGraph,
} from '@fleetprune/pruning';
import { loadLayersModel, readLayersModelFiles, selectBackend } from '@fleetprune/tfjs-runtime';
import { readJsonLines } from './json-lines';

interface Options {
  model: string;
  out: string;
  allocations: number[][];
  seeds: number[];
  epochs: number;
}

/** One finished run, a line of the results file. */
export interface AllocationRow {
  widths: number[];
  seed: number;
  epochs: number;
  params: number;
  testAccuracy: number;
  wallTimeS: number;
  backend: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    model: 'bench/results/pruning/dense-seed1/model.json',
    out: 'bench/results/width-allocation.jsonl',
    allocations: [],
    seeds: [1],
    epochs: 5,
  };
  const counts = (flag: string, v: string) => {
    const list = v.split(',').map(Number);
    if (!list.every((n) => Number.isInteger(n) && n > 0))
      throw new Error(`${flag} takes positive integers separated by commas; got ${v}`);
    return list;
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--widths') opts.allocations.push(counts(flag, value));
    else if (flag === '--seeds') opts.seeds = counts(flag, value);
    else if (flag === '--epochs') opts.epochs = Number(value);
    else if (flag === '--model') opts.model = value;
    else if (flag === '--out') opts.out = value;
    else throw new Error(`unknown option ${flag}; use --widths, --seeds, --epochs, --model, --out`);
  }
  if (!(opts.epochs > 0)) throw new Error(`--epochs must be > 0; got ${opts.epochs}`);
  return opts;
}

/**
 * Per prunable group (in graph order), the `widths[i]` channels with the largest scores, in
 * index order; refuses a width list that does not match the groups or exceeds a group.
 */
export function keepLargest(
  graph: PruningGraph,
  scores: ReadonlyMap<string, Float32Array>,
  widths: readonly number[],
): KeepMap {
  const groups = [...graph.groups.values()].filter((g) => g.prunable);
  if (widths.length !== groups.length) {
    throw new Error(
      `${widths.length} widths given for ${groups.length} prunable groups (${groups.map((g) => `${g.id} ${g.size}`).join(', ')})`,
    );
  }
  const keep = new Map<string, number[]>();
  groups.forEach((group, i) => {
    if (widths[i] > group.size) throw new Error(`${group.id} has ${group.size} channels, not ${widths[i]}`);
    const score = scores.get(group.id) as Float32Array;
    const order = Array.from({ length: group.size }, (_, c) => c).sort(
      (a, b) => score[b] - score[a] || a - b,
    );
    keep.set(
      group.id,
      order.slice(0, widths[i]).sort((a, b) => a - b),
    );
  });
  return keep;
}

/** Markdown table of the rows, one line per allocation: params, accuracy per seed and the mean. */
export function allocationTable(rows: readonly AllocationRow[]): string {
  const byKey = new Map<string, AllocationRow[]>();
  for (const row of rows) {
    const key = `${row.widths.join(',')} @${row.epochs}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const lines = [
    '| widths | epochs | params | test accuracy by seed (%) | mean (%) |',
    '|---|---:|---:|---|---:|',
  ];
  const mean = (list: AllocationRow[]) => list.reduce((s, r) => s + r.testAccuracy, 0) / list.length;
  const sorted = [...byKey.values()].sort((a, b) => mean(b) - mean(a));
  for (const list of sorted) {
    const seeds = [...list].sort((a, b) => a.seed - b.seed);
    const perSeed = seeds.map((r) => `${(r.testAccuracy * 100).toFixed(2)} (s${r.seed})`).join(', ');
    const first = seeds[0];
    lines.push(
      `| ${first.widths.join(', ')} | ${first.epochs} | ${first.params} | ${perSeed} | ${(mean(list) * 100).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

async function runOne(
  dense: () => Promise<tfl.LayersModel>,
  widths: number[],
  seed: number,
  opts: Options,
  data: { train: DataInput; test: DataInput },
  backend: string,
): Promise<AllocationRow> {
  const started = Date.now();
  const model = await dense();
  const graph = buildPruningGraph(model);
  const magnitudes = createScorer('l1', model, graph, { seed, normalization: 'none' }).scores();
  const pruned = pruneChannels(model, keepLargest(graph, magnitudes, widths), graph);
  model.dispose();
  await trainClassifier(pruned, data.train, {
    epochs: opts.epochs,
    seed,
    lrSchedule: 'cosine',
    onProgress: (p) =>
      process.stderr.write(
        `\r${widths.join(',')} seed ${seed}: step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} eta ${p.etaSeconds.toFixed(0)} s   `,
      ),
  });
  const test = toTrainingData(data.test, 'test');
  const testAccuracy = evaluateAccuracy(pruned, test.data);
  tf.dispose(test.owned);
  const params = countParams(pruned);
  pruned.dispose();
  process.stderr.write('\n');
  return {
    widths,
    seed,
    epochs: opts.epochs,
    params,
    testAccuracy,
    wallTimeS: (Date.now() - started) / 1000,
    backend,
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const backend = await selectBackend({ log: () => undefined });
  const splits = splitDataset(loadFashionMnist(), { validationFraction: 0.1, seed: 42 });
  const data = { train: imageSetData(splits.train), test: imageSetData(splits.test) };
  const dense = async () => loadLayersModel(await readLayersModelFiles(opts.model));
  const done = new Set(
    readJsonLines<AllocationRow>(opts.out).map((r) => `${r.widths.join(',')}|${r.seed}|${r.epochs}`),
  );
  for (const widths of opts.allocations) {
    for (const seed of opts.seeds) {
      if (done.has(`${widths.join(',')}|${seed}|${opts.epochs}`)) continue;
      const row = await runOne(dense, widths, seed, opts, data, backend.name);
      appendFileSync(opts.out, `${JSON.stringify(row)}\n`);
    }
  }
  console.log(`Width allocations cut from ${opts.model} (L1 within each group), backend ${backend.name}:`);
  console.log(allocationTable(readJsonLines<AllocationRow>(opts.out)));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
