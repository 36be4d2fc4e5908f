// Our exported .tflite, run by two engines that share no code with ours: full TFLite (XNNPACK,
// compiled to wasm) and Arm NN 20.08's CpuRef. They must load it and agree with our interpreter
// (TFLM reference arithmetic) within the rounding that integer requantization allows.
import { loadFashionMnist, representativeSubset, take, toFloat01 } from '@fleetprune/datasets';
import { quantizeLayersModel, readModel, writeModel, type TfliteModel } from '@fleetprune/tflite';
import { selectBackend } from '@fleetprune/tfjs-runtime';
import { armnnMissing, ARMNN_APT_PACKAGES, runArmnn } from '../../tools/conformance/armnn-runner';
import {
  compareOutputs,
  int8Inputs,
  runInterpreter,
  type OutputComparison,
} from '../../tools/conformance/compare-outputs';
import { buildReferenceModel, trainReferenceModel } from '../../tools/conformance/reference-model';
import { createTfliteWasmRunner } from '../../tools/conformance/tfjs-tflite-runner';

// 10 batches of 128: enough for trained, input-dependent activations; the training costs most
// of this spec's time on a shared 2-core machine.
const TRAIN = 1280;
const TEST = 200;
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

describe('independent runtimes on the exported reference model', () => {
  let bytes: Uint8Array;
  let perChannelDense: Uint8Array;
  let inputs: Int8Array[];
  let ours: Int8Array[];
  let bound: number;

  beforeAll(async () => {
    // CI installs Arm NN (see ARMNN_APT_PACKAGES); a machine without it fails, it never skips.
    const missing = await armnnMissing();
    if (missing !== null) throw new Error(`Arm NN is not usable: ${missing}`);
    await selectBackend({ prefer: ['wasm', 'cpu'], log: () => undefined });
    const { train, test } = loadFashionMnist();
    const model = buildReferenceModel();
    const started = performance.now();
    await trainReferenceModel(model, take(train, TRAIN), 1);
    const trained = performance.now();
    const calibration = toFloat01(representativeSubset(train, 200));
    const q = quantizeLayersModel(model, calibration);
    bytes = writeModel(q);
    perChannelDense = writeModel(quantizeLayersModel(model, calibration, { perChannelDense: true }));
    model.dispose();
    inputs = int8Inputs(take(test, TEST), q.inputQuantization.scale, q.inputQuantization.zeroPoint);
    const written = readModel(bytes);
    ours = runInterpreter(written, inputs);
    bound = requantizingOps(written).length;
    const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
    console.info(
      `training ${s(trained - started)}, quantizing twice + ${TEST} interpreter runs ${s(performance.now() - trained)}`,
    );
  }, 170_000);

  it('has the reference path: 3 CONV_2D, 2 FULLY_CONNECTED and SOFTMAX requantize', () => {
    expect(requantizingOps(readModel(bytes)).sort()).toEqual(
      ['CONV_2D', 'CONV_2D', 'CONV_2D', 'FULLY_CONNECTED', 'FULLY_CONNECTED', 'SOFTMAX'].sort(),
    );
  });

  it('TFLite-WASM loads it; outputs within 1 LSB per requantizing op, classes agree except near-ties', async () => {
    const runner = await createTfliteWasmRunner(bytes);
    const theirs = inputs.map((x) => runner.run(x));
    runner.close();
    const c = compareOutputs(ours, theirs);
    console.info(
      `TFLite-WASM vs fleetprune, ${TEST} images: ${JSON.stringify({ ...c, disagreements: c.disagreements })}`,
    );
    expect(c.maxAbsDiff).toBeLessThanOrEqual(bound);
    expect(c.differingValues / c.totalValues).toBeLessThanOrEqual(0.05);
    expect(unexplainedFlips(ours, theirs, c)).toEqual([]);
    expect(c.argmaxAgree / TEST).toBeGreaterThanOrEqual(0.97);
  });

  it('Arm NN loads it; outputs within 1 LSB per requantizing op, classes agree except near-ties', async () => {
    const theirs = await runArmnn(bytes, inputs);
    const c = compareOutputs(ours, theirs);
    console.info(`Arm NN vs fleetprune, ${TEST} images: ${JSON.stringify(c)}`);
    expect(c.maxAbsDiff).toBeLessThanOrEqual(bound);
    expect(c.differingValues / c.totalValues).toBeLessThanOrEqual(0.05);
    expect(unexplainedFlips(ours, theirs, c)).toEqual([]);
    expect(c.argmaxAgree / TEST).toBeGreaterThanOrEqual(0.97);

    // The two independent engines round alike (README: identical layer by layer on person_detect).
    const runner = await createTfliteWasmRunner(bytes);
    const between = compareOutputs(
      inputs.map((x) => runner.run(x)),
      theirs,
    );
    runner.close();
    console.info(`Arm NN vs TFLite-WASM: ${JSON.stringify(between)}`);
    expect(between.maxAbsDiff).toBeLessThanOrEqual(1);
    expect(between.argmaxAgree).toBe(TEST);
  }, 120_000);

  it('per-channel FULLY_CONNECTED weights: TFLite-WASM agrees, Arm NN 20.08 aborts and that is a failure', async () => {
    const reference = runInterpreter(readModel(perChannelDense), inputs.slice(0, 20));
    const runner = await createTfliteWasmRunner(perChannelDense);
    const c = compareOutputs(
      reference,
      inputs.slice(0, 20).map((x) => runner.run(x)),
    );
    runner.close();
    expect(c.maxAbsDiff).toBeLessThanOrEqual(bound);
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
