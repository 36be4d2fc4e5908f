// The whole issue-4 protocol as one resumable command: trains the dense model alone first,
// then runs the control and every (method, size) cell for each seed in parallel lanes, each
// in its own process, skipping cells already in the results file. Stopped at any point (a
// session ends), the same command carries on with what is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonLines } from './json-lines';
import type { BenchRow } from './pruning';
import { inCurrentTerms } from './pruning-report';

/** What the suite runs; `limit` and `dir` are passed to every run. */
export interface SuiteOptions {
  dir: string;
  limit?: number;
  lanes: number;
  pruneSeeds: number[];
  /** Baselines get only the first seed unless listed here. */
  seededMethods: string[];
}

interface Job {
  args: string[];
  log: string;
  done: (rows: BenchRow[]) => boolean;
}

const KEEPS = [0.4, 0.25, 0.1];
const DENSE_SEED = 1;
const METHODS = ['taylor', 'l1', 'random'] as const;

/** Where a run caches the dense model it starts from (one per seed and training scale). */
export function denseDir(dir: string, seed: number, limit?: number): string {
  return join(dir, `dense-seed${seed}${limit ? `-limit${limit}` : ''}`);
}

/** Cells of the protocol still missing from `dir`'s results, in the order they should run. */
export function pendingJobs(rows: BenchRow[], options: SuiteOptions): Job[] {
  const scale = options.limit !== undefined ? ['--limit', String(options.limit)] : [];
  const plain = (r: BenchRow) => !r.variant && !r.distill;
  const jobs: Job[] = [];
  for (const seed of options.pruneSeeds) {
    // The reference gets every seed the methods get: one control run is as noisy as one cell.
    jobs.push({
      args: ['--method', 'control', '--prune-seed', String(seed), ...scale],
      log: `run-control-seed${seed}.log`,
      done: (all) => all.some((r) => r.method === 'control' && plain(r) && (r.pruneSeed ?? r.seed) === seed),
    });
    for (const keep of KEEPS) {
      for (const method of METHODS) {
        if (seed !== options.pruneSeeds[0] && !options.seededMethods.includes(method)) continue;
        jobs.push({
          args: ['--method', method, '--keep', String(keep), '--prune-seed', String(seed), ...scale],
          log: `run-${method}-${keep}-seed${seed}.log`,
          done: (all) =>
            all.some(
              (r) => r.method === method && r.keep === keep && plain(r) && (r.pruneSeed ?? r.seed) === seed,
            ),
        });
      }
    }
  }
  return jobs.filter((job) => !job.done(rows));
}

/** The results file of a benchmark directory: one JSON row per run, appended. */
export function resultsFile(dir: string): string {
  return join(dir, 'pruning-results.jsonl');
}

/** Every row recorded in `dir` (none if nothing ran yet), older seed labels normalized. */
export async function readResults(dir: string): Promise<BenchRow[]> {
  return readJsonLines<BenchRow>(resultsFile(dir)).map(inCurrentTerms);
}

const running = new Set<ChildProcess>();
let signalsHandled = false;

// A suite stopped by a signal takes its runs with it: orphans would keep the cores busy and
// append rows nobody waits for.
function stopRunsOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      process.exit(130);
    });
  }
}

/** One benchmark run as a child process of this script, its output in `dir/log`. */
async function runChild(script: string, args: string[], dir: string, log: string): Promise<number> {
  const out = await open(join(dir, log), 'a');
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args, '--dir', dir], {
        stdio: ['ignore', out.fd, out.fd],
      });
      running.add(child);
      child.on('error', reject);
      child.on('exit', (code) => {
        running.delete(child);
        resolve(code ?? 1);
      });
    });
  } finally {
    await out.close();
  }
}

/** Runs what is missing: the dense model first (alone), then the cells in `lanes` lanes. */
export async function runSuite(script: string, options: SuiteOptions): Promise<void> {
  if (!(Number.isInteger(options.lanes) && options.lanes >= 1))
    throw new Error(`--lanes ${options.lanes}: give a whole number of parallel runs, 1 or more`);
  if (options.pruneSeeds.length === 0 || !options.pruneSeeds.every(Number.isInteger))
    throw new Error(`--prune-seeds ${options.pruneSeeds.join(',')}: give whole numbers, e.g. 1,2,3`);
  await mkdir(options.dir, { recursive: true });
  stopRunsOnSignals();
  const stamp = () => new Date().toISOString().slice(11, 19);
  const queue = pendingJobs(await readResults(options.dir), options);
  if (queue.length === 0) {
    console.log('every cell is in the results file; run --report');
    return;
  }
  const scale = options.limit !== undefined ? ['--limit', String(options.limit)] : [];
  if (!existsSync(join(denseDir(options.dir, DENSE_SEED, options.limit), 'model.json'))) {
    // Alone, before the lanes: every run starts from it, and two lanes would both train it.
    console.log(`[${stamp()}] training the dense model: run-dense.log`);
    const code = await runChild(script, ['--method', 'dense', ...scale], options.dir, 'run-dense.log');
    if (code !== 0) throw new Error(`dense run failed (exit ${code}); see run-dense.log`);
  }
  console.log(`[${stamp()}] ${queue.length} runs to go in ${options.lanes} lanes; logs in ${options.dir}`);
  let failures = 0;
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      console.log(`[${stamp()}] start ${job.args.join(' ')}`);
      const code = await runChild(script, job.args, options.dir, job.log);
      console.log(`[${stamp()}] ${code === 0 ? 'done' : `FAILED (exit ${code})`} ${job.log}`);
      if (code !== 0) failures++;
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  if (failures > 0) throw new Error(`${failures} runs failed; their logs say why`);
  console.log(`[${stamp()}] suite complete; node ${script} --report --dir ${options.dir}`);
}
