import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';
import { DEFAULT_FASHION_MNIST_DIR, FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from './fashion-mnist';
import { classCounts, TrainTestSets } from './image-set';

const DIR = DEFAULT_FASHION_MNIST_DIR;

// Checked with `zcat train-labels-idx1-ubyte.gz | xxd | head -1`: byte 8, the first label, is 09
// (Ankle boot); t10k's first label is also 09.
const FIRST_TRAIN_LABEL = 9;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err.code;
    throw err;
  }
  return 'no error';
}

describe(loadFashionMnist.name, () => {
  let sets: TrainTestSets;
  let tmp: string;
  beforeAll(() => {
    sets = loadFashionMnist();
    tmp = mkdtempSync(join(tmpdir(), 'fleetprune-fmnist-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads 60,000 train and 10,000 test 28x28x1 images', () => {
    for (const [set, count] of [
      [sets.train, 60000],
      [sets.test, 10000],
    ] as const) {
      expect([set.count, set.height, set.width, set.channels]).toEqual([count, 28, 28, 1]);
      expect(set.images.length).toBe(count * 28 * 28);
      expect(set.labels.length).toBe(count);
      expect(set.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    }
  });

  it('has labels 0..9 with exactly 6000 per class in train and 1000 in test', () => {
    expect(classCounts(sets.train)).toEqual(new Array(10).fill(6000));
    expect(classCounts(sets.test)).toEqual(new Array(10).fill(1000));
  });

  it('matches the raw bytes of the files: first label and first image', () => {
    const labels = gunzipSync(readFileSync(join(DIR, 'train-labels-idx1-ubyte.gz')));
    const images = gunzipSync(readFileSync(join(DIR, 'train-images-idx3-ubyte.gz')));
    expect(labels[8]).toBe(FIRST_TRAIN_LABEL);
    expect(sets.train.labels[0]).toBe(FIRST_TRAIN_LABEL);
    expect(sets.train.classNames[sets.train.labels[0]]).toBe('Ankle boot');
    expect(Buffer.from(sets.train.images.subarray(0, 784)).equals(images.subarray(16, 16 + 784))).toBe(true);
    const lastImage = sets.train.images.subarray(59999 * 784);
    expect(Buffer.from(lastImage).equals(images.subarray(16 + 59999 * 784))).toBe(true);
  });

  it('uses the whole 0..255 pixel range', () => {
    let min = 255;
    let max = 0;
    for (const p of sets.test.images) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    expect([min, max]).toEqual([0, 255]);
  });

  it('reads uncompressed files too, preferring them over .gz', () => {
    const dir = mkdtempSync(join(tmp, 'mixed-'));
    for (const name of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      writeFileSync(join(dir, name), gunzipSync(readFileSync(join(DIR, `${name}.gz`))));
    }
    for (const name of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) {
      symlinkSync(join(DIR, name), join(dir, name));
    }
    // A broken .gz beside the raw file proves the raw one is read.
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), 'not gzip');
    const mixed = loadFashionMnist({ dir });
    expect(mixed.test.count).toBe(10000);
    expect(Buffer.from(mixed.test.images).equals(Buffer.from(sets.test.images))).toBe(true);
    expect(Buffer.from(mixed.test.labels).equals(Buffer.from(sets.test.labels))).toBe(true);
  });

  it('says which apt package to install when the files are missing', () => {
    const missing = join(tmp, 'no-such-dir');
    expect(codeOf(() => loadFashionMnist({ dir: missing }))).toBe('NOT_INSTALLED');
    expect(() => loadFashionMnist({ dir: missing })).toThrow(/apt-get install dataset-fashion-mnist/);
    expect(() => loadFashionMnist({ dir: missing })).toThrow(/train-images-idx3-ubyte\[\.gz\] not found/);
  });

  it('reports CORRUPT for label files that do not match the images', () => {
    const dir = mkdtempSync(join(tmp, 'mismatch-'));
    for (const name of [
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
    ]) {
      copyFileSync(join(DIR, name), join(dir, name));
    }
    // 10 labels for 10,000 test images.
    writeFileSync(
      join(dir, 't10k-labels-idx1-ubyte'),
      Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 10, ...new Array(10).fill(1)]),
    );
    expect(codeOf(() => loadFashionMnist({ dir }))).toBe('CORRUPT');
  });

  it('reports CORRUPT for a label outside 0..9', () => {
    const dir = mkdtempSync(join(tmp, 'badlabel-'));
    const images = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]);
    const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 1, 10]);
    for (const split of ['train', 't10k']) {
      writeFileSync(join(dir, `${split}-images-idx3-ubyte`), images);
      writeFileSync(join(dir, `${split}-labels-idx1-ubyte`), labels);
    }
    expect(codeOf(() => loadFashionMnist({ dir }))).toBe('CORRUPT');
    expect(() => loadFashionMnist({ dir })).toThrow(/label 10 at index 0 has no class name/);
  });
});
