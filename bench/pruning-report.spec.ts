import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './pruning';
import { inCurrentTerms, writePruningReport } from './pruning-report';

function row(
  method: BenchRow['method'],
  keep: number,
  int8: number,
  extra: Partial<BenchRow> = {},
): BenchRow {
  return {
    method,
    keep,
    epochs: 5,
    distill: false,
    wallTimeS: 100,
    backend: 'wasm',
    seed: 1,
    params: Math.round(241546 * keep),
    macs: 1000,
    flashBytes: Math.round(251408 * keep),
    arenaBytes: 100,
    arenaBytes32: 100,
    ops: [],
    floatAccuracy: int8,
    int8Accuracy: int8,
    testCount: 10000,
    ...extra,
  } as BenchRow;
}

describe('writePruningReport', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleetprune-report-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function report(rows: BenchRow[]): Promise<string[]> {
    const markdown = join(dir, 'benchmarks.md');
    writeFileSync(markdown, '# Benchmarks\n\n## Other\n\nkept\n');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await writePruningReport(rows, { markdown, svg: join(dir, 'plot.svg'), source: 'results.jsonl' });
    } finally {
      log.mockRestore();
    }
    const text = readFileSync(markdown, 'utf8');
    expect(text).toContain('## Other\n\nkept');
    return text.split('\n');
  }

  it('averages the control over its seeds and judges every cell against that mean', async () => {
    const lines = await report([
      row('control', 1, 0.92), // an older control row: no pruneSeed, counted as seed 1
      row('control', 1, 0.93, { pruneSeed: 2 }),
      row('taylor', 0.1, 0.91, { pruneSeed: 1 }),
      row('taylor', 0.1, 0.9, { pruneSeed: 2 }),
    ]);
    expect(lines.find((l) => l.startsWith('| control |'))).toContain(
      '92.50% | - (int8 92.00% / 93.00%) | 1, 2 |',
    );
    expect(lines.find((l) => l.startsWith('| taylor |'))).toContain('| 2.00 (1.50 / 2.50) | 1, 2 |');
    expect(lines).toContain(
      '- 90% fewer params, 2 seeds: PrecisionPrune drop missed (2.00 > 1); ahead of L1-norm: not measured; of random: not measured.',
    );
  });

  it('counts a mean drop equal to the limit as met', async () => {
    const lines = await report([
      row('control', 1, 0.9275, { pruneSeed: 1 }),
      row('control', 1, 0.9256, { pruneSeed: 2 }),
      row('control', 1, 0.9268, { pruneSeed: 3 }),
      row('taylor', 0.4, 0.9243, { pruneSeed: 1 }),
      row('taylor', 0.4, 0.9212, { pruneSeed: 2 }),
      row('taylor', 0.4, 0.9224, { pruneSeed: 3 }),
    ]);
    expect(lines.find((l) => l.startsWith('- 60% fewer params'))).toContain('drop met (0.40 <= 0.4)');
  });

  it('judges a variant against a control trained the same way, when there is one', async () => {
    const lines = await report([
      row('control', 1, 0.92),
      row('control', 1, 0.94, { variant: 'lr 0.002' }),
      row('taylor', 0.1, 0.93, { variant: 'lr 0.002' }),
      // an older row that thinned conv3 below today's floor, restated once already by the reader
      inCurrentTerms(
        row('taylor', 0.1, 0.925, {
          variant: 'lr 0.002',
          widths: [{ layer: 'conv3', before: 128, after: 14 }],
        }),
      ),
      row('taylor', 0.1, 0.915, { variant: 'rounds 1' }),
    ]);
    expect(lines.find((l) => l.startsWith('| control (lr 0.002) |'))).toContain('| -2.00 |');
    expect(lines.find((l) => l.startsWith('| taylor (lr 0.002) |'))).toContain('| 1.00 |');
    expect(lines.find((l) => l.startsWith('| taylor (lr 0.002, min keep 0) |'))).toContain('| 1.50 |');
    expect(lines.find((l) => l.startsWith('| taylor (rounds 1) |'))).toContain('| 0.50 |');
  });
});
