import * as tf from '@tensorflow/tfjs-core';
import { loadFashionMnist, representativeSubset, take, toFloat01 } from '@fleetprune/datasets';
import { selectBackend } from '@fleetprune/tfjs-runtime';
import { readModel } from '../codec/read-model';
import { writeModel } from '../codec/write-model';
import { Interpreter } from '../interpreter/interpreter';
import { estimateArena } from '../planner/estimate-arena';
import { quantizeLayersModel } from './quantize-layers-model';
import { smallSequentialCnn } from './quantizer-test-models.spec-helper';

const TRAIN = 4000;
const TEST = 500;
const PIXELS = 28 * 28;

function argmax(a: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (a[from + i] > a[from + best]) best = i;
  return best;
}

describe(`${quantizeLayersModel.name} on Fashion-MNIST`, () => {
  it('keeps int8 accuracy within ~1 point of float after write/read', async () => {
    const backend = await selectBackend({ prefer: ['wasm', 'cpu'], log: () => undefined });
    const { train, test } = loadFashionMnist();
    const trainSet = take(train, TRAIN);
    const testSet = take(test, TEST);
    const model = smallSequentialCnn([28, 28, 1], 10);
    model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(toFloat01(trainSet), [TRAIN, 28, 28, 1]);
    const ys = tf.oneHot(tf.tensor1d(trainSet.labels, 'int32'), 10);
    await model.fit(xs, ys, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);

    const testX = tf.tensor4d(toFloat01(testSet), [TEST, 28, 28, 1]);
    const floatProbs = (model.predict(testX) as tf.Tensor).dataSync();
    testX.dispose();

    const calibration = toFloat01(representativeSubset(trainSet, 200));
    const q = quantizeLayersModel(model, calibration);
    expect(q.inputQuantization.scale).toBeCloseTo(1 / 255, 9);
    expect(q.inputQuantization.zeroPoint).toBe(-128);
    const bytes = writeModel(q);
    const interpreter = new Interpreter(readModel(bytes)).allocate();

    let floatRight = 0;
    let intRight = 0;
    let agree = 0;
    let unexplained = 0;
    const input = new Int8Array(PIXELS);
    for (let n = 0; n < TEST; n++) {
      // x/255 with scale 1/255 and zero point -128 is pixel - 128, exactly.
      for (let i = 0; i < PIXELS; i++) input[i] = testSet.images[n * PIXELS + i] - 128;
      interpreter.setInput(0, input);
      interpreter.invoke();
      const intClass = argmax(interpreter.output(0), 0, 10);
      const floatClass = argmax(floatProbs, n * 10, 10);
      floatRight += Number(floatClass === testSet.labels[n]);
      intRight += Number(intClass === testSet.labels[n]);
      agree += Number(intClass === floatClass);
      if (intClass !== floatClass) {
        // Softmax's 1/256 output step can tie two classes; a flip is only a defect when the
        // int8 scores do not tie and the float winner was clear.
        const p = Array.from(floatProbs.subarray(n * 10, n * 10 + 10)).sort((a, b) => b - a);
        const o = Array.from(interpreter.output(0)).sort((a, b) => b - a);
        if (o[0] !== o[1] && p[0] - p[1] > 0.02) unexplained++;
      }
    }
    const floatWeightBytes = model.getWeights().reduce((s, w) => s + w.size * 4, 0);
    console.info(
      `[${backend.name}] Fashion-MNIST ${TRAIN} train / ${TEST} test: float ${((floatRight / TEST) * 100).toFixed(1)}%, ` +
        `int8 ${((intRight / TEST) * 100).toFixed(1)}%, argmax agreement ${((agree / TEST) * 100).toFixed(1)}%, ` +
        `.tflite ${bytes.length} B vs float weights ${floatWeightBytes} B, arena ${estimateArena(q, { pointerBytes: 4 }).total} B`,
    );
    expect(floatRight / TEST).toBeGreaterThan(0.6);
    expect(Math.abs(intRight - floatRight) / TEST).toBeLessThanOrEqual(0.015);
    expect(agree / TEST).toBeGreaterThanOrEqual(0.95);
    expect(unexplained).toBe(0);
    expect(bytes.length).toBeLessThan(floatWeightBytes / 3);
  }, 120_000);
});
