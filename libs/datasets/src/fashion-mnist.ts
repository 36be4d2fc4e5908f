import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';
import { IdxArray, IdxLimits } from './idx-array';
import { createImageSet, ImageSet, TrainTestSets } from './image-set';
import { readIdxFile } from './read-idx-file';

/** Where Debian's `dataset-fashion-mnist` package installs the IDX files. */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The apt package that ships Fashion-MNIST, named in NOT_INSTALLED errors. */
export const FASHION_MNIST_APT_PACKAGE = 'dataset-fashion-mnist';

/** Fashion-MNIST's label names, indexed by label (from the dataset's own documentation). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /** Folder holding the four IDX files, raw or `.gz`. Default {@link DEFAULT_FASHION_MNIST_DIR}. */
  dir: string;
  /** Size limits for each IDX file (see `DEFAULT_IDX_LIMITS`). */
  limits: Partial<IdxLimits>;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * Loads Fashion-MNIST (60,000 train and 10,000 test 28x28 grayscale images, 10 classes) from
 * the IDX files in `dir`. Each file may be raw (`train-images-idx3-ubyte`) or gzipped
 * (`...-ubyte.gz`, what the Debian package ships); raw wins when both exist. Missing files give
 * `NOT_INSTALLED` naming the apt package; malformed files give `CORRUPT`. Takes ~1 s (gunzip).
 * @example const { train, test } = loadFashionMnist(); train.count // 60000
 */
export function loadFashionMnist(opts: Partial<FashionMnistOptions> = {}): TrainTestSets {
  const dir = opts.dir ?? DEFAULT_FASHION_MNIST_DIR;
  const limits = opts.limits ?? {};
  const paths = {
    train: { images: locate(dir, FILES.train.images), labels: locate(dir, FILES.train.labels) },
    test: { images: locate(dir, FILES.test.images), labels: locate(dir, FILES.test.labels) },
  };
  return {
    train: toImageSet(readIdxFile(paths.train.images, limits), readIdxFile(paths.train.labels, limits)),
    test: toImageSet(readIdxFile(paths.test.images, limits), readIdxFile(paths.test.labels, limits)),
  };
}

function locate(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DatasetError(
    'NOT_INSTALLED',
    `Fashion-MNIST file ${base}[.gz] not found in ${dir}. Install the Debian package ` +
      `${FASHION_MNIST_APT_PACKAGE} with \`apt-get install ${FASHION_MNIST_APT_PACKAGE}\` ` +
      `(files land in ${DEFAULT_FASHION_MNIST_DIR}), or pass { dir } pointing at the IDX files`,
  );
}

function toImageSet(images: IdxArray, labels: IdxArray): ImageSet {
  if (images.type !== 'uint8' || images.dims.length !== 3) {
    throw new DatasetError(
      'CORRUPT',
      `image file must be uint8 [count, h, w], got ${images.type} [${images.dims}]`,
    );
  }
  if (labels.type !== 'uint8' || labels.dims.length !== 1 || labels.dims[0] !== images.dims[0]) {
    throw new DatasetError(
      'CORRUPT',
      `label file must be uint8 [${images.dims[0]}] to match the images, got ${labels.type} [${labels.dims}]`,
    );
  }
  const [, height, width] = images.dims;
  try {
    return createImageSet({
      images: images.data,
      labels: labels.data,
      height,
      width,
      channels: 1,
      classNames: FASHION_MNIST_CLASS_NAMES,
    });
  } catch (err) {
    // A label >= 10 or a zero-sized image is bad data here, not a bad caller argument.
    if (err instanceof DatasetError)
      throw new DatasetError('CORRUPT', err.message.replace(/^Datasets: /, ''));
    throw err;
  }
}
