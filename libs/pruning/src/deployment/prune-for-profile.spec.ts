import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadFashionMnist, representativeSubset, take, toFloat01, type ImageSet } from '@fleetprune/datasets';
import { registerTrainingKernels } from '@fleetprune/tfjs-runtime';
import {
  builtinDeviceProfile,
  evaluateClassifier,
  readModel,
  type DeviceProfileSpec,
} from '@fleetprune/tflite';
import { PruningError } from '../pruning-error';
import { trainClassifier } from '../training/train-classifier';
import { deployedFootprint, DeploymentOptions } from './deployed-footprint';
import { imageSetData } from './image-set-data';
import { pruneForProfile } from './prune-for-profile';
import { assertProfileReachable, smallestReachable } from './smallest-reachable';

jest.setTimeout(120_000);

/** Small enough for the cpu backend, wide enough that weights (not flatbuffer overhead) dominate. */
function smallCnn(): tfl.LayersModel {
  const init = (i: number) => tfl.initializers.glorotUniform({ seed: 40 + i });
  return tfl.sequential({
    layers: [
      // Pooling first keeps the convolution (slow to train on the cpu backend) cheap.
      tfl.layers.maxPooling2d({ name: 'p0', inputShape: [28, 28, 1], poolSize: 4 }),
      tfl.layers.conv2d({
        name: 'c1',
        filters: 12,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(0),
      }),
      tfl.layers.batchNormalization({ name: 'bn1' }),
      tfl.layers.reLU({ name: 'r1' }),
      tfl.layers.flatten({ name: 'flat' }),
      tfl.layers.dense({ name: 'd1', units: 48, activation: 'relu', kernelInitializer: init(1) }),
      tfl.layers.dense({ name: 'out', units: 10, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
}

describe(pruneForProfile.name, () => {
  let train: ImageSet;
  let test: ImageSet;
  let model: tfl.LayersModel;
  let deployment: DeploymentOptions;
  const esp32 = builtinDeviceProfile('esp32') as DeviceProfileSpec;

  beforeAll(async () => {
    registerTrainingKernels();
    await tf.setBackend('cpu');
    const data = loadFashionMnist();
    train = take(data.train, 384);
    test = take(data.test, 150);
    deployment = { representative: toFloat01(representativeSubset(train, 50, 1)) };
    model = smallCnn();
    await trainClassifier(model, imageSetData(train), {
      epochs: 2,
      batchSize: 64,
      learningRate: 3e-3,
      seed: 1,
    });
  });

  it('says what the smallest reachable model needs when a profile cannot be met', () => {
    const tiny = { ...esp32, name: 'tiny', flashBytes: 1000 };
    expect(() => assertProfileReachable(model, tiny, deployment)).toThrow(PruningError);
    try {
      assertProfileReachable(model, tiny, deployment);
    } catch (error) {
      expect((error as PruningError).code).toBe('BUDGET_UNREACHABLE');
      expect((error as Error).message).toMatch(/smallest reachable model .* needs \d+ bytes of flash/);
      expect((error as Error).message).toContain('tiny offers 1000');
      expect((error as Error).message).toContain('lower minKeepFraction');
    }
    // The default floor (a share of every layer) makes the smallest reachable model larger.
    const floorless = smallestReachable(model, deployment, { minKeepFraction: 0 });
    expect(floorless.params).toBeLessThan(smallestReachable(model, deployment).params);
    expect(assertProfileReachable(model, esp32, deployment).fits).toBe(true);
  });

  it('prunes until the int8 export fits the flash budget, and reports the deployed model', async () => {
    const dense = deployedFootprint(model, deployment).footprint;
    const profile = { ...esp32, name: 'half-flash', flashBytes: Math.floor(dense.flashBytes * 0.6) };
    const { result, exported, report } = await pruneForProfile({
      model,
      train: imageSetData(train),
      validation: imageSetData(train, 192),
      test,
      profile,
      deployment,
      epochs: 1,
      batchSize: 64,
      seed: 2,
      reportProfiles: [esp32],
    });
    expect(report.mode).toBe('most-accurate');
    expect(report.tflite.bytes).toBe(exported.tflite.length);
    expect(report.tflite.bytes).toBeLessThanOrEqual(profile.flashBytes);
    expect(report.tflite.bytesBefore).toBe(dense.flashBytes);
    expect(report.profiles.map((p) => [p.profile, p.fits])).toEqual([
      ['half-flash', true],
      ['esp32', true],
    ]);
    expect(report.profiles[0].estimatedLatencyMs).toBeCloseTo(
      (report.macs.after / profile.macsPerSecond) * 1000,
      6,
    );
    expect(report.budgetMet).toBe(true);
    expect(report.params.after).toBeLessThan(report.params.before);
    expect(report.widths.find((w) => w.layer === 'd1')?.before).toBe(48);
    // The int8 figure is what the bit-exact interpreter computes on the written flatbuffer.
    const rerun = evaluateClassifier(readModel(exported.tflite), test);
    expect(report.test.after.int8).toBe(rerun.accuracy);
    expect(report.test.count).toBe(150);
    result.model.dispose();
  });

  it("refuses 'smallest' mode without an accuracy tolerance", async () => {
    await expect(
      pruneForProfile({
        model,
        train: imageSetData(train),
        validation: imageSetData(train),
        test,
        profile: esp32,
        deployment,
        epochs: 1,
        mode: 'smallest',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
