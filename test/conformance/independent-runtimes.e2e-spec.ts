// Our exported .tflite, run by two engines that share no code with ours: full TFLite (XNNPACK,
// compiled to wasm) and Arm NN 20.08's CpuRef. They must load it and agree with our interpreter
// (TFLM reference arithmetic) within the rounding that integer requantization allows:
// - up to the logits (3 CONV_2D + 2 FULLY_CONNECTED), 1 LSB per requantizing op;
// - after SOFTMAX, a logit that is d LSB off moves a probability by at most d * s_logit / 2
//   (dp_i = p_i (dz_i - sum_j p_j dz_j), |.| <= 2 d p_i (1 - p_i) <= d / 2), plus 1 LSB of its own.
import { join } from 'node:path';
import { loadFashionMnist, representativeSubset, take, toFloat01 } from '@fleetprune/datasets';
import { quantizeLayersModel, readModel, writeModel, type TfliteModel } from '@fleetprune/tflite';
import { loadLayersModel, readLayersModelFiles, selectBackend } from '@fleetprune/tfjs-runtime';
import { armnnMissing, ARMNN_APT_PACKAGES, runArmnn } from '../../tools/conformance/armnn-runner';
import {
  compareOutputs,
  int8Inputs,
  runInterpreter,
  type OutputComparison,
} from '../../tools/conformance/compare-outputs';
import { buildReferenceModel } from '../../tools/conformance/reference-model';
import { createTfliteWasmRunner } from '../../tools/conformance/tfjs-tflite-runner';

// The pruning benchmark's committed dense model (10 epochs on 54,000 Fashion-MNIST images,
// seed 1): a trained model, so its scores rarely nearly tie; one copy serves both.
const REFERENCE_MODEL = join(__dirname, '../../bench/results/pruning/dense-seed1/model.json');
const TEST = 200;
const LOGIT_IMAGES = 100;
// Ops that keep their input's scale and zero point: the int8 values pass through unchanged.
const PASS_THROUGH = new Set(['MAX_POOL_2D', 'RESHAPE']);

/** Ops along the (single) path that rescale int8 values, each allowed 1 LSB of rounding. */
function requantizingOps(model: TfliteModel): string[] {
  return model.subgraphs[0].operators
    .map((op) => model.operatorCodes[op.opcodeIndex].builtinCode)
    .filter((name) => !PASS_THROUGH.has(name));
}

/** Images where the engines pick different classes although our scores do not nearly tie. */
function unexplainedFlips(ours: Int8Array[], theirs: Int8Array[], c: OutputComparison): number[] {
  return c.disagreements.filter((n) => {
    const mine = ours[n];
    const ourClass = mine.indexOf(Math.max(...mine));
    const theirClass = theirs[n].indexOf(Math.max(...theirs[n]));
    // Each engine may move each score by maxAbsDiff, so a flip needs a gap of at most twice that.
    return mine[ourClass] - mine[theirClass] > 2 * c.maxAbsDiff;
  });
}

type Engine = (model: Uint8Array, inputs: Int8Array[]) => Promise<Int8Array[]>;

const tfliteWasm: Engine = async (model, inputs) => {
  const runner = await createTfliteWasmRunner(model);
  try {
    return inputs.map((x) => runner.run(x));
  } finally {
    runner.close();
  }
};

const armnn: Engine = (model, inputs) => runArmnn(model, inputs);

describe('independent runtimes on the exported reference model', () => {
  let exported: { bytes: Uint8Array; ours: Int8Array[]; ops: number; outScale: number };
  let logits: { bytes: Uint8Array; ours: Int8Array[]; ops: number; outScale: number };
  let perChannelDense: Uint8Array;
  let inputs: Int8Array[];
  const results: Record<string, Int8Array[]> = {};
  // Softmax output bound when the logits differ by at most d LSB (see the top of this file).
  const softmaxBoundFor = (d: number) => 1 + Math.ceil((d * logits.outScale) / 2 / exported.outScale);

  beforeAll(async () => {
    // CI installs Arm NN (see ARMNN_APT_PACKAGES); a machine without it fails, it never skips.
    const missing = await armnnMissing();
    if (missing !== null) throw new Error(`Arm NN is not usable: ${missing}`);
    await selectBackend({ prefer: ['wasm', 'cpu'], log: () => undefined });
    const { train, test } = loadFashionMnist();
    const started = performance.now();
    const model = await loadLayersModel(await readLayersModelFiles(REFERENCE_MODEL));
    // The same weights ending in raw logits: where the per-op rounding bound applies directly.
    const toLogits = buildReferenceModel({ logits: true });
    toLogits.setWeights(model.getWeights());
    const calibration = toFloat01(representativeSubset(train, 200));
    const q = quantizeLayersModel(model, calibration);
    const qLogits = quantizeLayersModel(toLogits, calibration);
    // Only needs to load and run; fewer calibration images keep the spec short.
    const fewer = calibration.subarray(0, 50 * 28 * 28);
    perChannelDense = writeModel(quantizeLayersModel(model, fewer, { perChannelDense: true }));
    model.dispose();
    toLogits.dispose();
    inputs = int8Inputs(take(test, TEST), q.inputQuantization.scale, q.inputQuantization.zeroPoint);
    const prepare = (m: TfliteModel, n: number) => {
      const bytes = writeModel(m);
      const written = readModel(bytes);
      const ops = requantizingOps(written).length;
      return { bytes, ours: runInterpreter(written, inputs.slice(0, n)), ops, outScale: 0 };
    };
    exported = { ...prepare(q, TEST), outScale: q.outputQuantization.scale };
    logits = { ...prepare(qLogits, LOGIT_IMAGES), outScale: qLogits.outputQuantization.scale };
    const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
    console.info(`loading, quantizing 3x + interpreter ${s(performance.now() - started)}`);
  }, 300_000);

  it('has the reference path: 3 CONV_2D, 2 FULLY_CONNECTED and SOFTMAX requantize', () => {
    expect(requantizingOps(readModel(exported.bytes)).sort()).toEqual(
      ['CONV_2D', 'CONV_2D', 'CONV_2D', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'SOFTMAX'].sort(),
    );
    expect(logits.ops).toBe(5);
  });

  it.each([
    ['TFLite-WASM', tfliteWasm],
    ['Arm NN', armnn],
  ] as const)(
    '%s loads it; logits within 1 LSB per op, softmax within the derived bound, classes agree except near-ties',
    async (name, engine) => {
      const theirLogits = await engine(logits.bytes, inputs.slice(0, LOGIT_IMAGES));
      results[`${name} logits`] = theirLogits;
      const l = compareOutputs(logits.ours, theirLogits);
      expect(l.maxAbsDiff).toBeLessThanOrEqual(logits.ops);

      const theirs = await engine(exported.bytes, inputs);
      results[name] = theirs;
      const c = compareOutputs(exported.ours, theirs);
      const softmaxBound = softmaxBoundFor(l.maxAbsDiff);
      const { disagreements: _, ...stats } = c;
      console.info(
        `${name} vs fleetprune: logits (${LOGIT_IMAGES} images) ${JSON.stringify({ ...l, disagreements: l.disagreements.length })}; ` +
          `softmax output (${TEST} images, bound ${softmaxBound}) ${JSON.stringify(stats)}, flips at ${c.disagreements}`,
      );
      expect(c.maxAbsDiff).toBeLessThanOrEqual(softmaxBound);
      // Bit-exact TFLM arithmetic cannot also match these engines' class on every image: on this
      // trained model image 49 is a near-tie that both engines resolve the other way (issue 3).
      expect(unexplainedFlips(exported.ours, theirs, c)).toEqual([]);
      expect(c.argmaxAgree / TEST).toBeGreaterThanOrEqual(0.99);
    },
    240_000,
  );

  it('TFLite-WASM and Arm NN agree with each other by the same rules and on every class', () => {
    // Both round like full TFLite (README: identical layer by layer on person_detect), so they
    // differ less often than either does from TFLM arithmetic, but not never.
    const l = compareOutputs(results['TFLite-WASM logits'], results['Arm NN logits']);
    const between = compareOutputs(results['TFLite-WASM'], results['Arm NN']);
    console.info(
      `Arm NN vs TFLite-WASM: logits ${JSON.stringify(l)}; softmax output ${JSON.stringify(between)}`,
    );
    expect(l.maxAbsDiff).toBeLessThanOrEqual(logits.ops);
    expect(between.maxAbsDiff).toBeLessThanOrEqual(softmaxBoundFor(l.maxAbsDiff));
    expect(between.argmaxAgree).toBe(TEST);
  });

  it('per-channel FULLY_CONNECTED weights: TFLite-WASM agrees, Arm NN 20.08 aborts and that is a failure', async () => {
    const reference = runInterpreter(readModel(perChannelDense), inputs.slice(0, 20));
    const c = compareOutputs(reference, await tfliteWasm(perChannelDense, inputs.slice(0, 20)));
    expect(c.disagreements).toEqual([]);
    const crash = runArmnn(perChannelDense, inputs.slice(0, 2));
    await expect(crash).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    await expect(crash).rejects.toThrow(/SIGABRT.*per-channel FULLY_CONNECTED/);
  }, 60_000);

  it('names the apt packages CI must install', () => {
    expect(ARMNN_APT_PACKAGES).toEqual([
      'python3-pyarmnn',
      'libarmnn-cpuref-backend22',
      'libarmnntfliteparser22',
    ]);
  });
});
