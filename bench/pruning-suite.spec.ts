import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './pruning';
import { inCurrentTerms } from './pruning-report';
import { pendingJobs, runSuite, type SuiteOptions } from './pruning-suite';

const options: SuiteOptions = {
  dir: 'unused',
  lanes: 2,
  pruneSeeds: [1, 2, 3],
  seededMethods: ['taylor', 'l1'],
};

function row(method: BenchRow['method'], keep: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { method, keep, seed: 1, distill: false, ...extra } as BenchRow;
}

describe('pendingJobs', () => {
  it('lists the control and every size and method for the first seed, then the control, Taylor and L1 for the others', () => {
    const jobs = pendingJobs([], options).map((j) => j.args.join(' '));
    expect(jobs).toHaveLength(1 + 9 + 2 * (1 + 6));
    expect(jobs[0]).toBe('--method control --prune-seed 1');
    expect(jobs[10]).toBe('--method control --prune-seed 2');
    expect(jobs).toContain('--method random --keep 0.1 --prune-seed 1');
    expect(jobs).not.toContain('--method random --keep 0.1 --prune-seed 2');
    expect(jobs).toContain('--method l1 --keep 0.25 --prune-seed 3');
  });

  it('skips cells already run (legacy seed labels included) but not variants or KD runs', () => {
    const rows = [
      row('control', 1), // an older control: no pruneSeed, its extra epochs ran on seed 1
      row('taylor', 0.4, { pruneSeed: 1 }),
      row('taylor', 0.25, { variant: 'prune seed 2' }), // the older way of naming a seed
      row('l1', 0.4, { pruneSeed: 1, variant: 'rounds 4' }),
      row('l1', 0.25, { pruneSeed: 1, distill: true }),
    ];
    const jobs = pendingJobs(rows.map(inCurrentTerms), options).map((j) => j.args.join(' '));
    expect(jobs).toHaveLength(24 - 3);
    expect(jobs).not.toContain('--method control --prune-seed 1');
    expect(jobs).toContain('--method control --prune-seed 2');
    expect(jobs).not.toContain('--method taylor --keep 0.4 --prune-seed 1');
    expect(jobs).not.toContain('--method taylor --keep 0.25 --prune-seed 2');
    expect(jobs).toContain('--method l1 --keep 0.4 --prune-seed 1');
    expect(jobs).toContain('--method l1 --keep 0.25 --prune-seed 1');
  });

  it("reruns a cell whose older rows pruned a layer below today's per-layer floor", () => {
    const widths = (conv3: number) => [
      { layer: 'conv1', before: 32, after: 30 },
      { layer: 'conv3', before: 128, after: conv3 },
    ];
    const rows = [
      row('taylor', 0.1, { pruneSeed: 1, widths: widths(14) }), // below ceil(0.15 * 128) = 20
      row('taylor', 0.25, { pruneSeed: 1, widths: widths(40) }), // the floor never bound
      // run with --min-keep-fraction 0, which records itself: not restated twice
      row('taylor', 0.4, { pruneSeed: 1, widths: widths(14), minKeepFraction: 0, variant: 'min keep 0' }),
    ].map(inCurrentTerms);
    expect(rows.map((r) => r.variant)).toEqual(['min keep 0', undefined, 'min keep 0']);
    const jobs = pendingJobs(rows, options).map((j) => j.args.join(' '));
    expect(jobs).toContain('--method taylor --keep 0.1 --prune-seed 1');
    expect(jobs).not.toContain('--method taylor --keep 0.25 --prune-seed 1');
  });

  it('passes the training scale to every run', () => {
    const jobs = pendingJobs([], { ...options, pruneSeeds: [1], limit: 1080 });
    expect(jobs.every((j) => j.args.join(' ').endsWith('--limit 1080'))).toBe(true);
  });
});

describe('runSuite', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleetprune-suite-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // A stand-in for bench/pruning.js that records its arguments and appends the row a real
  // run would, so the orchestration (order, lanes, resume) is checked in milliseconds.
  function fakeRunner(): string {
    const script = join(dir, 'fake-run.js');
    writeFileSync(
      script,
      `const fs = require('fs'), path = require('path');
const argv = process.argv.slice(2), get = (f) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : '');
const dir = get('--dir'), method = get('--method');
fs.appendFileSync(path.join(dir, 'calls.txt'), [method, get('--keep'), get('--prune-seed')].join(' ') + '\\n');
if (method === 'dense') {
  fs.mkdirSync(path.join(dir, 'dense-seed1'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dense-seed1', 'model.json'), '{}');
} else {
  const row = { method, keep: Number(get('--keep') || 1), seed: 1, distill: false,
    pruneSeed: get('--prune-seed') ? Number(get('--prune-seed')) : undefined };
  fs.appendFileSync(path.join(dir, 'pruning-results.jsonl'), JSON.stringify(row) + '\\n');
}
`,
    );
    return script;
  }

  it('trains the dense model first, runs every cell once, and has nothing left on a second call', async () => {
    const script = fakeRunner();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const suite = { dir, lanes: 2, pruneSeeds: [1, 2], seededMethods: ['taylor'] };
      await runSuite(script, suite);
      const calls = readFileSync(join(dir, 'calls.txt'), 'utf8').trim().split('\n');
      expect(calls[0]).toBe('dense  ');
      expect(calls).toHaveLength(1 + 1 + 9 + 1 + 3);
      expect(new Set(calls).size).toBe(calls.length);
      await runSuite(script, suite);
      expect(readFileSync(join(dir, 'calls.txt'), 'utf8').trim().split('\n')).toHaveLength(calls.length);
    } finally {
      log.mockRestore();
    }
  });

  it('refuses a lane count or seed list it cannot run', async () => {
    const base = { dir, pruneSeeds: [1], seededMethods: [] };
    await expect(runSuite('unused.js', { ...base, lanes: 0 })).rejects.toThrow(/--lanes 0/);
    await expect(runSuite('unused.js', { ...base, lanes: Number('x') })).rejects.toThrow(/--lanes NaN/);
    await expect(runSuite('unused.js', { ...base, lanes: 1, pruneSeeds: [1, NaN] })).rejects.toThrow(
      /--prune-seeds/,
    );
  });

  it('takes its runs down when it is stopped by a signal', async () => {
    const compiled = join(__dirname, '..', 'dist', 'bench', 'pruning-suite.js');
    if (!existsSync(compiled)) throw new Error('run npm run build first: the suite runs compiled');
    const script = join(dir, 'slow-run.js');
    const pidFile = join(dir, 'run.pid');
    writeFileSync(
      script,
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
setTimeout(() => {}, 60000);
`,
    );
    const suite = spawn(process.execPath, [
      '-e',
      `require(${JSON.stringify(compiled)}).runSuite(${JSON.stringify(script)}, ` +
        `{ dir: ${JSON.stringify(dir)}, lanes: 1, pruneSeeds: [1], seededMethods: [] })`,
    ]);
    const exited = new Promise<number | null>((resolve) => suite.on('exit', resolve));
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    const runPid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(runPid, 0)).not.toThrow();
    suite.kill('SIGTERM');
    expect(await exited).toBe(130);
    let alive = true;
    for (let i = 0; i < 40 && alive; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        process.kill(runPid, 0);
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
  });
});
