import type * as tfl from '@tensorflow/tfjs-layers';
import { representativeSubset, toFloat01, type DatasetSplits } from '@fleetprune/datasets';
import { deployedAccuracy, deployedFootprint, type DeployedFootprint } from '@fleetprune/pruning';

/** Deployed facts of one benchmark model: int8 footprint and test accuracies. */
export interface DeployedMeasure extends DeployedFootprint {
  floatAccuracy: number;
  int8Accuracy: number;
  testCount: number;
}

/** Exports `model` to int8 (calibrated on 200 train images) and evaluates it on the test split. */
export async function measureDeployed(
  model: tfl.LayersModel,
  splits: DatasetSplits,
  testCount?: number,
): Promise<DeployedMeasure> {
  const representative = toFloat01(representativeSubset(splits.train, 200, 7));
  const { footprint, exported } = deployedFootprint(model, { representative, name: 'fmnist_cnn' });
  const accuracy = deployedAccuracy(model, exported.model, splits.test, testCount);
  return {
    ...footprint,
    floatAccuracy: accuracy.floatAccuracy,
    int8Accuracy: accuracy.int8Accuracy,
    testCount: accuracy.count,
  };
}
