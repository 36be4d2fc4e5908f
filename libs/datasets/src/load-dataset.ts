import { DatasetError } from './dataset-error';
import { FashionMnistOptions, loadFashionMnist } from './fashion-mnist';
import { TrainTestSets } from './image-set';
import { loadMnist, MnistOptions } from './mnist';

/** Datasets fleetprune can load by name (CLI `--dataset`, API job specs). */
export type DatasetName = 'fashion-mnist' | 'mnist';

/** Every {@link DatasetName}, for validating user input and listing choices. */
export const DATASET_NAMES: readonly DatasetName[] = Object.freeze(['fashion-mnist', 'mnist']);

/** Options of {@link loadDataset}: each loader reads its own fields and ignores the others. */
export type LoadDatasetOptions = Partial<FashionMnistOptions> & Partial<MnistOptions>;

/** Loads a dataset by name; `BAD_ARGUMENT` for an unknown name (e.g. from a CLI flag). */
export function loadDataset(name: DatasetName, opts: LoadDatasetOptions = {}): TrainTestSets {
  switch (name) {
    case 'fashion-mnist':
      return loadFashionMnist({ dir: opts.dir, limits: opts.limits });
    case 'mnist':
      return loadMnist({
        trainCount: opts.trainCount,
        testCount: opts.testCount,
        seed: opts.seed,
        dir: opts.dir,
      });
    default:
      throw new DatasetError(
        'BAD_ARGUMENT',
        `unknown dataset "${String(name)}"; choose one of ${DATASET_NAMES.join(', ')}`,
      );
  }
}
