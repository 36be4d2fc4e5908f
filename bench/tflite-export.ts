// Float vs int8 on Fashion-MNIST: the reference CNN trained with TF.js, exported to .tflite and
// run by fleetprune's interpreter, TFLite-WASM and Arm NN. Prints a table and writes it into
// docs/benchmarks.md. Build, then:
//   node dist/bench/tflite-export.js [--epochs 10] [--model model.json] [--train-images N]
//     [--test-images N] [--armnn-images N] [--seed N] [--doc docs/benchmarks.md]
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, representativeSubset, take, toFloat01, type ImageSet } from '@fleetprune/datasets';
import { quantizeLayersModel, readModel, writeModel } from '@fleetprune/tflite';
import {
  loadLayersModel,
  readLayersModelFiles,
  saveLayersModel,
  selectBackend,
  type BackendChoice,
} from '@fleetprune/tfjs-runtime';
import { armnnMissing, runArmnn } from '../tools/conformance/armnn-runner';
import { argmax, compareOutputs, int8Inputs, runInterpreter } from '../tools/conformance/compare-outputs';
import { upsertMarkdownSection } from '../tools/conformance/markdown-section';
import {
  batchTensors,
  buildReferenceModel,
  settleBatchNorm,
  trainReferenceModel,
} from '../tools/conformance/reference-model';
import { createTfliteWasmRunner } from '../tools/conformance/tfjs-tflite-runner';

interface Options {
  epochs: number;
  model?: string;
  trainImages: number;
  testImages: number;
  armnnImages: number;
  seed: number;
  doc: string;
  cache: string;
}

// One training-mode pass over this many images sets the BatchNorm moving statistics.
const SETTLE_IMAGES = 1024;
const HEADING = '## TFLite export: float vs int8 across engines (`bench/tflite-export.ts`)';

function parseArgs(argv: string[]): Options {
  const o: Options = {
    epochs: 10,
    trainImages: 60000,
    testImages: 10000,
    armnnImages: -1,
    seed: 7,
    doc: 'docs/benchmarks.md',
    cache: '.tmp/bench',
  };
  const numeric: Record<string, keyof Options> = {
    '--epochs': 'epochs',
    '--train-images': 'trainImages',
    '--test-images': 'testImages',
    '--armnn-images': 'armnnImages',
    '--seed': 'seed',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (numeric[flag]) (o as unknown as Record<string, number>)[numeric[flag]] = Number(value);
    else if (flag === '--model') o.model = value;
    else if (flag === '--doc') o.doc = value;
    else if (flag === '--cache') o.cache = value;
    else
      throw new Error(
        `unknown option ${flag}; use ${[...Object.keys(numeric), '--model', '--doc', '--cache'].join(', ')}`,
      );
  }
  if (o.armnnImages < 0) o.armnnImages = o.testImages;
  return o;
}

const log = (line: string) => console.log(`# ${line}`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The trained float model: from --model, from the cache of an earlier identical run, or trained now. */
async function floatModel(o: Options, train: ImageSet): Promise<{ model: tfl.LayersModel; source: string }> {
  const cached = resolve(o.cache, `tflite-export-e${o.epochs}-n${o.trainImages}-s${o.seed}-bn`);
  const json = o.model ?? join(cached, 'model.json');
  if (existsSync(json)) {
    const model = await loadLayersModel(await readLayersModelFiles(json));
    return { model, source: `loaded from ${o.model ?? cached}` };
  }
  const model = buildReferenceModel({ seed: o.seed });
  const started = performance.now();
  await trainReferenceModel(model, take(train, o.trainImages), o.epochs, {
    seed: o.seed,
    onEpoch: (e, loss, s) => log(`epoch ${e}/${o.epochs}: loss ${loss.toFixed(4)}, ${s.toFixed(0)} s`),
  });
  settleBatchNorm(model, train, SETTLE_IMAGES);
  const minutes = (performance.now() - started) / 60000;
  await saveLayersModel(model, cached);
  return {
    model,
    source: `trained here with seed ${o.seed}: ${o.epochs} epoch(s) on ${o.trainImages} images, ${minutes.toFixed(1)} min, then BatchNorm statistics set from ${SETTLE_IMAGES} training images (cached in ${cached})`,
  };
}

/** Float predictions over `set` in batches of `batch`; returns classes and images per second. */
function floatPredict(
  model: tfl.LayersModel,
  set: ImageSet,
  batch: number,
): { classes: Uint8Array; perSecond: number } {
  const classes = new Uint8Array(set.count);
  const started = performance.now();
  for (let s = 0; s < set.count; s += batch) {
    const { x, y } = batchTensors(set, s, Math.min(set.count, s + batch));
    const probs = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    for (let i = 0; i < x.shape[0]; i++) classes[s + i] = argmax(probs.subarray(i * 10, i * 10 + 10));
    tf.dispose([x, y]);
  }
  return { classes, perSecond: set.count / ((performance.now() - started) / 1000) };
}

function accuracy(classes: ArrayLike<number>, labels: Uint8Array, n = classes.length): number {
  let right = 0;
  for (let i = 0; i < n; i++) right += Number(classes[i] === labels[i]);
  return right / n;
}

function agreement(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let same = 0;
  for (let i = 0; i < n; i++) same += Number(a[i] === b[i]);
  return same;
}

function machine(backend: BackendChoice): string {
  const cpu =
    readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? cpus()[0]?.model;
  const nproc = execSync('nproc').toString().trim();
  return `nproc ${nproc}, ${cpu}, Node ${process.version}, TF.js backend ${backend.name} (${backend.reason})`;
}

/** Images whose classes differ, each with our top-two score gap in LSB (a near-tie has a small one). */
function flipList(ours: Int8Array[], disagreements: number[]): string {
  if (disagreements.length === 0) return 'none';
  const gap = (y: Int8Array) => {
    const [a, b] = [...y].sort((p, q) => q - p);
    return a - b;
  };
  return disagreements.map((n) => `#${n} (gap ${gap(ours[n])})`).join(', ');
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const loadAtStart = load();
  const backend = await selectBackend({ log });
  const { train, test: fullTest } = loadFashionMnist();
  const test = take(fullTest, o.testImages);
  const { model, source } = await floatModel(o, train);
  log(`model ${source}`);

  const float = floatPredict(model, test, 500);
  const float1 = floatPredict(model, take(test, Math.min(1000, test.count)), 1);
  const q = quantizeLayersModel(model, toFloat01(representativeSubset(train, 200, o.seed)));
  const bytes = writeModel(q);
  const floatBytes = model.getWeights().reduce((sum, w) => sum + w.size * 4, 0);
  const inputs = int8Inputs(test, q.inputQuantization.scale, q.inputQuantization.zeroPoint);

  // Time the interpreter on a slice before Arm NN starts; the rest runs while Arm NN does.
  const timed = Math.min(1000, inputs.length);
  const interpreted = readModel(bytes);
  let started = performance.now();
  const ours = runInterpreter(interpreted, inputs.slice(0, timed));
  const oursPerSecond = timed / ((performance.now() - started) / 1000);
  log(`fleetprune interpreter: ${oursPerSecond.toFixed(0)} images/s`);

  await armnnMissing(); // probe once up front, so only the batch process starts below
  started = performance.now();
  const armnnDone = runArmnn(bytes, inputs.slice(0, o.armnnImages)).then((out) => {
    log(`Arm NN CpuRef: ${out.length} images in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { out, perSecond: out.length / ((performance.now() - started) / 1000) };
  });
  // runArmnn spawns its process from promise continuations: let them run before the
  // synchronous interpreter loop below holds the event loop.
  await new Promise((r) => setTimeout(r, 50));
  ours.push(...runInterpreter(interpreted, inputs.slice(timed)));

  const wasm = await createTfliteWasmRunner(bytes);
  const wasmStarted = performance.now();
  const wasmOut = inputs.map((x) => wasm.run(x));
  const wasmPerSecond = test.count / ((performance.now() - wasmStarted) / 1000);
  wasm.close();
  log(`TFLite-WASM (${wasm.build}, 1 thread): ${wasmPerSecond.toFixed(0)} images/s`);

  const { out: armnnOut, perSecond: armnnPerSecond } = await armnnDone;

  const cls = (outs: Int8Array[]) => Uint8Array.from(outs, (y) => argmax(y));
  const [oc, wc, ac] = [cls(ours), cls(wasmOut), cls(armnnOut)];
  const na = armnnOut.length;
  const vsWasm = compareOutputs(ours, wasmOut);
  const vsArmnn = compareOutputs(ours.slice(0, na), armnnOut);
  const wasmArmnn = compareOutputs(wasmOut.slice(0, na), armnnOut);
  const n = test.count;
  const armnnNote = na === n ? '' : ` (first ${na} images)`;
  const rows = [
    ['float accuracy (TF.js)', pct(accuracy(float.classes, test.labels))],
    ['int8 accuracy, fleetprune interpreter', pct(accuracy(oc, test.labels))],
    ['int8 accuracy, TFLite-WASM', pct(accuracy(wc, test.labels))],
    [`int8 accuracy, Arm NN CpuRef${armnnNote}`, pct(accuracy(ac, test.labels, na))],
    ['same class: float vs fleetprune int8', `${agreement(float.classes, oc, n)} / ${n}`],
    ['same class: fleetprune vs TFLite-WASM', `${vsWasm.argmaxAgree} / ${n}`],
    [`same class: fleetprune vs Arm NN${armnnNote}`, `${vsArmnn.argmaxAgree} / ${na}`],
    [`same class: TFLite-WASM vs Arm NN${armnnNote}`, `${wasmArmnn.argmaxAgree} / ${na}`],
    [
      'int8 outputs differing (max LSB): fleetprune vs TFLite-WASM',
      `${vsWasm.differingValues} / ${vsWasm.totalValues} (${vsWasm.maxAbsDiff})`,
    ],
    [
      'int8 outputs differing (max LSB): fleetprune vs Arm NN',
      `${vsArmnn.differingValues} / ${vsArmnn.totalValues} (${vsArmnn.maxAbsDiff})`,
    ],
    [
      'int8 outputs differing (max LSB): TFLite-WASM vs Arm NN',
      `${wasmArmnn.differingValues} / ${wasmArmnn.totalValues} (${wasmArmnn.maxAbsDiff})`,
    ],
    ['images whose class differs: fleetprune vs TFLite-WASM', flipList(ours, vsWasm.disagreements)],
    [`images whose class differs: fleetprune vs Arm NN${armnnNote}`, flipList(ours, vsArmnn.disagreements)],
    [
      `images whose class differs: TFLite-WASM vs Arm NN${armnnNote}`,
      flipList(wasmOut, wasmArmnn.disagreements),
    ],
    ['float32 weight bytes (incl. BN statistics)', `${floatBytes}`],
    ['.tflite bytes (ratio to float32 weights)', `${bytes.length} (${pct(bytes.length / floatBytes)})`],
    ['TF.js float inference, batch 500 (images/s)', float.perSecond.toFixed(0)],
    ['TF.js float inference, batch 1 (images/s)', float1.perSecond.toFixed(0)],
    ['fleetprune int8 interpreter, 1 image at a time (images/s)', oursPerSecond.toFixed(0)],
    ['TFLite-WASM int8, XNNPACK, 1 thread (images/s)', wasmPerSecond.toFixed(0)],
    ['Arm NN CpuRef int8, one process per batch (images/s)', armnnPerSecond.toFixed(1)],
  ];
  const table = ['| measure | value |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  console.log(table);
  const date = new Date().toISOString().slice(0, 10);
  const body = [
    `Run ${date} on ${machine(backend)}.`,
    '',
    `Reference CNN (DESIGN.md), Adam 1e-3, batch 128; model ${source}.`,
    `Fashion-MNIST test set: ${n} images. int8: full-integer post-training quantization with 200`,
    `class-stratified training images (seed ${o.seed}; \`quantizeLayersModel\`, per-tensor dense weights so Arm NN 20.08 loads it).`,
    `Throughput: single-threaded, on a 2-core machine shared with other jobs (load average ${loadAtStart} at the`,
    `start, ${load()} at the end), so compare ratios, not absolutes. A gap is our top score minus the runner-up,`,
    'in output LSB. The interpreter is timed on the first 1000 images before Arm NN starts; the rest of',
    'its images and TFLite-WASM then run while Arm NN (one CpuRef process for the batch, start included) does.',
    'Softmax magnifies 1-LSB logit differences into a few LSB of probability (see the conformance section).',
    '',
    table,
  ].join('\n');
  upsertMarkdownSection(o.doc, 'tflite-export', `${HEADING}\n\n${body}`);
  log(`wrote ${o.doc}`);
  model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
