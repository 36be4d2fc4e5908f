import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from './dataset-error';
import { DATASET_NAMES, DatasetName, loadDataset } from './load-dataset';

describe(loadDataset.name, () => {
  it('lists both datasets', () => {
    expect([...DATASET_NAMES].sort()).toEqual(['fashion-mnist', 'mnist']);
  });

  it('loads Fashion-MNIST by name', () => {
    const sets = loadDataset('fashion-mnist');
    expect([sets.train.count, sets.test.count]).toEqual([60000, 10000]);
    expect(sets.train.classNames[0]).toBe('T-shirt/top');
  });

  it('loads MNIST by name and forwards its counts, keeping defaults for unset fields', () => {
    const sets = loadDataset('mnist', { trainCount: 100, testCount: undefined });
    expect([sets.train.count, sets.test.count]).toEqual([100, 2000]);
    expect(sets.train.classNames[7]).toBe('7');
  });

  it('forwards dir to the Fashion-MNIST loader', () => {
    expect(() => loadDataset('fashion-mnist', { dir: join(tmpdir(), 'fleetprune-nothing-here') })).toThrow(
      /apt-get install dataset-fashion-mnist/,
    );
  });

  it('rejects an unknown name coming from untyped input', () => {
    expect(() => loadDataset('cifar10' as DatasetName)).toThrow(DatasetError);
    expect(() => loadDataset('cifar10' as DatasetName)).toThrow(/choose one of fashion-mnist, mnist/);
  });
});
