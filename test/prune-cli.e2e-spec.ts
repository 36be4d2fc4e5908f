import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '@fleetprune/tflite';
import { buildProgram } from '../apps/cli/src/main';
import { cli } from './support/cli-runner';

// Real Fashion-MNIST, the real reference CNN and the real int8 export, but on a few hundred
// images (--limit) so the whole file stays within about two minutes on a shared machine.
jest.setTimeout(240_000);

describe('fleetprune train / prune', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-prune-cli-'));
  const dense = join(dir, 'dense');
  const pruned = join(dir, 'pruned');
  // `prune` of the trained model that must fail before writing anything.
  const pruneNever = (...flags: string[]) =>
    cli(
      'prune',
      '--model',
      join(dense, 'model.json'),
      '--dataset',
      'fashion-mnist',
      ...flags,
      '--out',
      join(dir, 'never'),
    );

  it('lists train and prune in --help', () => {
    const help = buildProgram().helpInformation();
    expect(help).toContain('train');
    expect(help).toContain('prune');
  });

  it('trains the reference CNN and reports its test accuracy', async () => {
    const run = await cli(
      'train',
      '--arch',
      'fmnist-cnn',
      '--dataset',
      'fashion-mnist',
      '--epochs',
      '2',
      '--seed',
      '3',
      '--limit',
      '512',
      '--test-limit',
      '300',
      '--out',
      dense,
    );
    expect(run.code).toBe(0);
    for (const f of ['model.json', 'weights.bin', 'report.json'])
      expect(existsSync(join(dense, f))).toBe(true);
    const report = JSON.parse(readFileSync(join(dense, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ arch: 'fmnist-cnn', epochs: 2, seed: 3, trainImages: 512 });
    // BN folded: 3x3 convs 1->32->64->128 with biases, Dense 1152->128 and 128->10.
    const expected = [9 * 1 * 32 + 32, 9 * 32 * 64 + 64, 9 * 64 * 128 + 128, 1152 * 128 + 128, 128 * 10 + 10];
    expect(report.params).toBe(expected.reduce((a, b) => a + b, 0));
    expect(report.test.count).toBe(300);
    expect(report.test.accuracy).toBeGreaterThanOrEqual(0);
    expect(report.test.accuracy).toBeLessThanOrEqual(1);
    expect(report.epochLosses).toHaveLength(2);
    expect(run.out).toContain('test accuracy');
  });

  it('prunes it for a profile and writes the model, the int8 export and the report', async () => {
    const run = await cli(
      'prune',
      '--model',
      join(dense, 'model.json'),
      '--dataset',
      'fashion-mnist',
      '--profile',
      'esp32',
      '--target-params',
      '0.4',
      '--epochs',
      '1',
      '--seed',
      '3',
      '--scorer',
      'taylor',
      '--min-keep-fraction',
      '0.5',
      '--limit',
      '512',
      '--test-limit',
      '100',
      '--out',
      pruned,
    );
    expect(run.err).not.toContain('fleetprune: Pruning');
    expect(run.code).toBe(0);
    for (const f of [
      'model.json',
      'weights.bin',
      'model.tflite',
      'model_data.h',
      'model_data.cc',
      'op_resolver.h',
      'report.json',
    ])
      expect(existsSync(join(pruned, f))).toBe(true);
    const report = JSON.parse(readFileSync(join(pruned, 'report.json'), 'utf8'));
    expect(report.params.after).toBeLessThanOrEqual(0.4 * report.params.before);
    expect(report.macs.after).toBeLessThan(report.macs.before);
    expect(report.widths.map((w: { layer: string }) => w.layer)).toEqual([
      'conv1',
      'conv2',
      'conv3',
      'dense1',
      'logits',
    ]);
    expect(report.widths.some((w: { before: number; after: number }) => w.after < w.before)).toBe(true);
    for (const w of report.widths as { before: number; after: number }[])
      expect(w.after).toBeGreaterThanOrEqual(Math.ceil(0.5 * w.before));
    const tflite = readFileSync(join(pruned, 'model.tflite'));
    expect(report.tflite.bytes).toBe(tflite.length);
    expect(report.tflite.bytes).toBeLessThan(report.tflite.bytesBefore);
    expect(readModel(new Uint8Array(tflite)).subgraphs).toHaveLength(1);
    expect(report.profiles[0]).toMatchObject({ profile: 'esp32', fits: true });
    expect(report.profiles.map((p: { profile: string }) => p.profile)).toContain('rpi-4');
    expect(report.test.count).toBe(100);
    expect(report).toMatchObject({ seed: 3, scorer: 'taylor', budgetMet: true });
    expect(typeof report.backend).toBe('string');
    expect(run.out).toContain('params');
  });

  it('names the built-in profiles when the profile is unknown', async () => {
    const run = await pruneNever('--profile', 'toaster', '--target-params', '0.4');
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('unknown profile toaster');
    expect(run.err).toContain('esp32');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('rejects a target outside (0, 1], a floor outside [0, 1) and an unknown architecture', async () => {
    const bad = await pruneNever('--profile', 'esp32', '--target-params', '1.5');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--target-params');
    const share = await pruneNever(
      '--profile',
      'esp32',
      '--min-keep-fraction',
      '1',
      '--target-params',
      '0.4',
    );
    expect(share.code).not.toBe(0);
    expect(share.err).toContain('--min-keep-fraction must be a number in [0, 1)');
    const arch = await cli(
      'train',
      '--arch',
      'resnet',
      '--dataset',
      'fashion-mnist',
      '--out',
      join(dir, 'never'),
    );
    expect(arch.code).not.toBe(0);
    expect(arch.err).toContain('fmnist-cnn');
  });
});
