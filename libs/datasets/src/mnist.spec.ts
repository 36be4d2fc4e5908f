import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-error';
import { classCounts, ImageSet, TrainTestSets } from './image-set';
import { loadMnist, MNIST_CLASS_NAMES } from './mnist';

const DIGITS_DIR = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err.code;
    throw err;
  }
  return 'no error';
}

// The package stores pixel k as k/255 written to 3 decimals; this table inverts that notation
// directly, so the checks below do not reuse the loader's Math.round(v * 255).
const BYTE_OF = new Map(Array.from({ length: 256 }, (_, k) => [Number((k / 255).toFixed(3)), k]));

function keysOf(set: ImageSet): string[] {
  const keys: string[] = [];
  for (let i = 0; i < set.count; i++) {
    keys.push(
      `${set.labels[i]}:${Buffer.from(set.images.subarray(i * 784, (i + 1) * 784)).toString('latin1')}`,
    );
  }
  return keys;
}

function packageKeys(): string[] {
  const keys: string[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = (JSON.parse(readFileSync(join(DIGITS_DIR, `${digit}.json`), 'utf8')) as { data: number[] })
      .data;
    const bytes = Buffer.from(data.map((v) => BYTE_OF.get(v) ?? -1));
    expect(data.every((v) => BYTE_OF.has(v))).toBe(true);
    for (let i = 0; i < data.length; i += 784)
      keys.push(`${digit}:${bytes.subarray(i, i + 784).toString('latin1')}`);
  }
  return keys;
}

describe(loadMnist.name, () => {
  let sets: TrainTestSets;
  beforeAll(() => {
    sets = loadMnist();
  });

  it("splits the package's 10,000 digits 8000/2000 as 28x28x1 uint8 images", () => {
    expect([sets.train.count, sets.test.count]).toEqual([8000, 2000]);
    for (const set of [sets.train, sets.test]) {
      expect([set.height, set.width, set.channels]).toEqual([28, 28, 1]);
      expect(set.images.length).toBe(set.count * 784);
      expect(set.classNames).toEqual(MNIST_CLASS_NAMES);
    }
  });

  it('uses every digit of the package exactly once across train and test, pixels intact', () => {
    expect(BYTE_OF.size).toBe(256);
    const loaded = [...keysOf(sets.train), ...keysOf(sets.test)].sort();
    expect(loaded).toEqual(packageKeys().sort());
  });

  it('stratifies the test set by class and mixes classes in order', () => {
    const all = classCounts(sets.train).map((n, c) => n + classCounts(sets.test)[c]);
    classCounts(sets.test).forEach((n, c) => expect(Math.abs(n - all[c] / 5)).toBeLessThan(1));
    // Grouped-by-digit files must not leak into the order: the first 100 hold many classes.
    expect(new Set(sets.train.labels.subarray(0, 100)).size).toBe(10);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const again = loadMnist({ trainCount: 300, testCount: 100 });
    const same = loadMnist({ trainCount: 300, testCount: 100, seed: 42 });
    const other = loadMnist({ trainCount: 300, testCount: 100, seed: 7 });
    expect(Buffer.from(again.train.images).equals(Buffer.from(same.train.images))).toBe(true);
    expect(Buffer.from(again.test.labels).equals(Buffer.from(same.test.labels))).toBe(true);
    expect(Buffer.from(again.train.images).equals(Buffer.from(other.train.images))).toBe(false);
    expect([again.train.count, again.test.count]).toEqual([300, 100]);
  });

  it('keeps small train and test sets disjoint', () => {
    const small = loadMnist({ trainCount: 500, testCount: 500, seed: 3 });
    const trainKeys = new Set(keysOf(small.train));
    const overlap = keysOf(small.test).filter((k) => trainKeys.has(k));
    // The package itself may hold duplicate images; none should appear here at this size.
    expect(overlap).toEqual([]);
  });

  it('rejects asking for more digits than the package has', () => {
    expect(codeOf(() => loadMnist({ trainCount: 9000, testCount: 1001 }))).toBe('BAD_ARGUMENT');
    expect(() => loadMnist({ trainCount: 9000, testCount: 1001 })).toThrow(/has only 10000 digits/);
    expect(codeOf(() => loadMnist({ trainCount: -1 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => loadMnist({ seed: 0.5 }))).toBe('BAD_ARGUMENT');
  });

  it('reports missing and malformed digit files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetprune-mnist-'));
    try {
      expect(codeOf(() => loadMnist({ dir }))).toBe('NOT_INSTALLED');
      const blank = JSON.stringify({ data: new Array(784).fill(0) });
      for (let d = 0; d < 10; d++) writeFileSync(join(dir, `${d}.json`), blank);
      expect(loadMnist({ dir, trainCount: 8, testCount: 2 }).train.count).toBe(8);
      writeFileSync(join(dir, '3.json'), JSON.stringify({ data: new Array(784).fill(1.5) }));
      expect(codeOf(() => loadMnist({ dir, trainCount: 1, testCount: 1 }))).toBe('CORRUPT');
      writeFileSync(join(dir, '3.json'), JSON.stringify({ data: new Array(700).fill(0) }));
      expect(codeOf(() => loadMnist({ dir, trainCount: 1, testCount: 1 }))).toBe('CORRUPT');
      writeFileSync(join(dir, '3.json'), '{"data": [0, 0');
      expect(codeOf(() => loadMnist({ dir, trainCount: 1, testCount: 1 }))).toBe('CORRUPT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
