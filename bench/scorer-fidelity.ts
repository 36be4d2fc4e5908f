// How well each importance scorer predicts what removing a channel really costs, and how
// stable its ranking is between two independent streams of training batches.
// Build, then: node dist/bench/scorer-fidelity.js [--model <model.json>] [--batches 20] [--val 1500]
// Default model: the pruning benchmark's committed dense model (10 epochs, 54,000 images).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, splitDataset } from '@fleetprune/datasets';
import {
  BatchSampler,
  TAYLOR_ESTIMATES,
  buildPruningGraph,
  createScorer,
  crossEntropy,
  forwardGraph,
  imageSetData,
  logProbabilities,
  toTrainingData,
  trainLoop,
  type ImportanceScorer,
  type PruningGraph,
  type TrainingData,
} from '@fleetprune/pruning';
import { loadLayersModel, readLayersModelFiles, selectBackend } from '@fleetprune/tfjs-runtime';

interface Options {
  model: string;
  batches: number;
  val: number;
}

const SCORERS: { label: string; make: (model: tfl.LayersModel, graph: PruningGraph) => ImportanceScorer }[] =
  [
    ...TAYLOR_ESTIMATES.map((estimate) => ({
      label: `taylor ${estimate}`,
      make: (model: tfl.LayersModel, graph: PruningGraph) =>
        createScorer('taylor', model, graph, { seed: 1, normalization: 'none', taylorEstimate: estimate }),
    })),
    {
      label: 'l1',
      make: (model, graph) => createScorer('l1', model, graph, { seed: 1, normalization: 'none' }),
    },
  ];

function parseArgs(argv: string[]): Options {
  const opts: Options = { model: 'bench/results/pruning/dense-seed1/model.json', batches: 20, val: 1500 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--model') opts.model = value;
    else if (flag === '--batches') opts.batches = Number(value);
    else if (flag === '--val') opts.val = Number(value);
    else throw new Error(`unknown option ${flag}; use --model, --batches, --val`);
  }
  return opts;
}

/** Spearman rank correlation of two equally long score vectors (ties broken by index). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>) => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(v.length);
    order.forEach((i, k) => (r[i] = k));
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const mid = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i] - mid) * (rb[i] - mid);
    da += (ra[i] - mid) ** 2;
    db += (rb[i] - mid) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Every scorer's raw scores after `batches` training batches (learning rate 0) from stream `seed`. */
async function scoresFrom(
  model: tfl.LayersModel,
  data: TrainingData,
  batches: number,
  seed: number,
): Promise<Map<string, Map<string, Float32Array>>> {
  const graph = buildPruningGraph(model);
  const scorers = SCORERS.map((s) => ({ label: s.label, scorer: s.make(model, graph) }));
  // One gated pass feeds every scorer, so all of them see the same batches.
  const fanOut: ImportanceScorer = {
    name: 'taylor',
    needsGates: true,
    observe: (observation) => scorers.forEach((s) => s.scorer.observe(observation)),
    scores: () => new Map(),
  };
  const optimizer = tf.train.sgd(0);
  await trainLoop(model, graph, data, {
    batches,
    sampler: new BatchSampler(data.y.shape[0], 128, seed),
    optimizer,
    learningRate: () => 0,
    seed,
    scorer: fanOut,
  });
  optimizer.dispose();
  return new Map(scorers.map((s) => [s.label, s.scorer.scores()]));
}

/** Measured loss increase (inference mode) when each channel of each prunable group is removed. */
function removalCost(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor1D): Map<string, Float32Array> {
  const graph = buildPruningGraph(model);
  const loss = (gates: Map<string, tf.Tensor>) =>
    tf.tidy(
      () => crossEntropy(logProbabilities(forwardGraph(model, graph, x, { gates }), false), y).dataSync()[0],
    );
  const base = loss(new Map());
  const result = new Map<string, Float32Array>();
  for (const group of graph.groups.values()) {
    if (!group.prunable) continue;
    const costs = new Float32Array(group.size);
    for (let c = 0; c < group.size; c++) {
      const open = new Float32Array(group.size).fill(1);
      open[c] = 0;
      const gate = tf.tensor1d(open);
      costs[c] = loss(new Map([[group.id, gate]])) - base;
      gate.dispose();
    }
    result.set(group.id, costs);
  }
  return result;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const backend = await selectBackend({ log: () => undefined });
  const splits = splitDataset(loadFashionMnist(), { validationFraction: 0.1, seed: 42 });
  const train = toTrainingData(imageSetData(splits.train), 'train').data;
  const val = toTrainingData(imageSetData(splits.validation, 2 * opts.val), 'validation').data;
  const load = async () => loadLayersModel(await readLayersModelFiles(opts.model));
  const started = Date.now();
  // A fresh copy per measurement: training-mode passes move BatchNorm's moving statistics.
  const streamA = await scoresFrom(await load(), train, opts.batches, 11);
  const streamB = await scoresFrom(await load(), train, opts.batches, 12);
  const reference = await load();
  const half = (start: number) =>
    removalCost(
      reference,
      tf.slice(val.x, [start], [opts.val]),
      tf.slice(val.y, [start], [opts.val]) as tf.Tensor1D,
    );
  const truthA = half(0);
  const truthB = half(opts.val);

  console.log(
    `Scorer fidelity, ${opts.model}, backend ${backend.name}: scores from ${opts.batches} batches of 128 ` +
      `(two streams), removal cost measured on two halves of ${opts.val} validation images; ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  console.log(
    'Spearman rank correlation within each group. stable: stream A vs B; predicts: stream A vs removal cost.',
  );
  const head = [
    'group',
    'channels',
    'cost A vs B',
    ...SCORERS.flatMap((s) => [`${s.label} stable`, `${s.label} predicts`]),
  ];
  console.log(`| ${head.join(' | ')} |`);
  console.log(
    `|---|${head
      .slice(1)
      .map(() => '---:')
      .join('|')}|`,
  );
  for (const [id, truth] of truthA) {
    const cells = SCORERS.flatMap((s) => {
      const a = streamA.get(s.label)?.get(id) as Float32Array;
      const b = streamB.get(s.label)?.get(id) as Float32Array;
      return [spearman(a, b).toFixed(2), spearman(a, truth).toFixed(2)];
    });
    const row = [id, truth.length, spearman(truth, truthB.get(id) as Float32Array).toFixed(2), ...cells];
    console.log(`| ${row.join(' | ')} |`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
