// One training epoch of the DESIGN.md reference CNN on Fashion-MNIST, per tfjs backend.
// Build, then: node dist/bench/epoch-time.js [--images N] [--cpu-images N] [--backends wasm,cpu,tensorflow]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, type ImageSet } from '@fleetprune/datasets';
import { registerTrainingKernels, selectBackend, type BackendName } from '@fleetprune/tfjs-runtime';

interface Options {
  images: number;
  cpuImages: number;
  testImages: number;
  backends: BackendName[];
}

interface Row {
  backend: string;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  secondsPerEpoch: number;
  extrapolated: boolean;
  loss: number;
  accuracy: number;
}

const EPOCH = 60000;

function parseArgs(argv: string[]): Options {
  const opts: Options = { images: EPOCH, cpuImages: 2048, testImages: 10000, backends: ['wasm', 'cpu'] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--images') opts.images = Number(value);
    else if (flag === '--cpu-images') opts.cpuImages = Number(value);
    else if (flag === '--test-images') opts.testImages = Number(value);
    else if (flag === '--backends') opts.backends = value.split(',') as BackendName[];
    else throw new Error(`unknown option ${flag}; use --images, --cpu-images, --test-images, --backends`);
  }
  return opts;
}

/** The fixed reference model of DESIGN.md, compiled with Adam 1e-3. */
function referenceModel(): tfl.LayersModel {
  const m = tfl.sequential();
  for (const [i, filters] of [32, 64, 128].entries()) {
    const conv = { filters, kernelSize: 3, padding: 'same' as const };
    m.add(tfl.layers.conv2d(i === 0 ? { ...conv, inputShape: [28, 28, 1] } : conv));
    m.add(tfl.layers.batchNormalization());
    m.add(tfl.layers.reLU());
    m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  }
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tfl.layers.dropout({ rate: 0.25 }));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function tensors(set: ImageSet, count: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = Math.min(count, set.count);
  const pixels = set.height * set.width * set.channels;
  const x = new Float32Array(n * pixels);
  for (let i = 0; i < x.length; i++) x[i] = set.images[i] / 255;
  return {
    x: tf.tensor4d(x, [n, set.height, set.width, set.channels]),
    y: tf.tidy(
      () => tf.oneHot(tf.tensor1d(Array.from(set.labels.subarray(0, n)), 'int32'), 10) as tf.Tensor2D,
    ),
  };
}

async function activate(name: BackendName): Promise<boolean> {
  registerTrainingKernels();
  try {
    if (name === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
    return await tf.setBackend(name);
  } catch (error) {
    console.log(`# ${name}: not available (${String(error).split('\n')[0]})`);
    return false;
  }
}

async function run(
  name: BackendName,
  opts: Options,
  data: { train: ImageSet; test: ImageSet },
): Promise<Row | null> {
  if (!(await activate(name))) return null;
  const images = name === 'cpu' ? Math.min(opts.cpuImages, opts.images) : opts.images;
  const train = tensors(data.train, images);
  const test = tensors(data.test, name === 'cpu' ? Math.min(opts.testImages, 1000) : opts.testImages);
  const model = referenceModel();
  const start = process.hrtime.bigint();
  const history = await model.fit(train.x, train.y, { epochs: 1, batchSize: 128, shuffle: true, verbose: 0 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const [, acc] = model.evaluate(test.x, test.y, { batchSize: 500 }) as tf.Scalar[];
  const row: Row = {
    backend: name,
    images: train.x.shape[0],
    seconds,
    imagesPerSecond: train.x.shape[0] / seconds,
    secondsPerEpoch: (EPOCH * seconds) / train.x.shape[0],
    extrapolated: train.x.shape[0] < EPOCH,
    loss: history.history.loss[0] as number,
    accuracy: (await acc.data())[0],
  };
  tf.dispose([train.x, train.y, test.x, test.y]);
  model.dispose();
  return row;
}

function table(rows: Row[], testImages: number): string {
  const head = '| backend | images | seconds | images/s | est. s/epoch | final loss | accuracy |';
  const lines = rows.map((r) =>
    [
      r.backend,
      r.images,
      r.seconds.toFixed(1),
      r.imagesPerSecond.toFixed(0),
      `${r.secondsPerEpoch.toFixed(0)}${r.extrapolated ? ' (extrapolated)' : ''}`,
      r.loss.toFixed(4),
      `${(r.accuracy * 100).toFixed(2)}%`,
    ].join(' | '),
  );
  const note = `accuracy: test set (${testImages} images; cpu uses at most 1000) after one pass over "images"`;
  return [head, '|---|---:|---:|---:|---:|---:|---:|', ...lines.map((l) => `| ${l} |`), '', note].join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const choice = await selectBackend({ log: (line) => console.log(`# ${line}`) });
  for (const s of choice.skipped) console.log(`# skipped ${s.name}: ${s.error}`);
  const data = loadFashionMnist();
  const rows: Row[] = [];
  for (const name of opts.backends) {
    const row = await run(name, opts, data);
    if (row !== null) rows.push(row);
    if (row !== null) console.log(`# ${name}: ${row.seconds.toFixed(1)} s for ${row.images} images`);
  }
  console.log(table(rows, opts.testImages));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
