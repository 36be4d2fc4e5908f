// Public API of libs/datasets: IDX / JSON loaders, splits and calibration sets as plain arrays.
export { DatasetError } from './dataset-error';
export type { DatasetErrorCode } from './dataset-error';
export { DEFAULT_IDX_LIMITS } from './idx-array';
export type { IdxArray, IdxLimits, IdxType } from './idx-array';
export { parseIdx } from './parse-idx';
export { readIdxFile } from './read-idx-file';
export { classCounts, createImageSet } from './image-set';
export type { DatasetSplits, ImageSet, TrainTestSets } from './image-set';
export {
  DEFAULT_FASHION_MNIST_DIR,
  FASHION_MNIST_APT_PACKAGE,
  FASHION_MNIST_CLASS_NAMES,
  loadFashionMnist,
} from './fashion-mnist';
export type { FashionMnistOptions } from './fashion-mnist';
export { DEFAULT_MNIST_OPTIONS, loadMnist, MNIST_CLASS_NAMES } from './mnist';
export type { MnistOptions } from './mnist';
export { DATASET_NAMES, loadDataset } from './load-dataset';
export type { DatasetName, LoadDatasetOptions } from './load-dataset';
export { DEFAULT_SPLIT_OPTIONS, splitDataset } from './split-dataset';
export type { SplitOptions } from './split-dataset';
export { subset, take } from './subset';
export { mixIn } from './mix-in';
export { createRng, seededShuffle } from './rng';
export { DEFAULT_REPRESENTATIVE_COUNT, representativeSubset } from './representative-subset';
export { toFloat01 } from './to-float01';
