import { Command } from 'commander';
import { DEFAULT_MIN_KEEP_FRACTION } from '@fleetprune/pruning';
import { printTable } from '../output';
import { CliError, ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface JobView {
  id: string;
  status: string;
  profiles: string[];
  error: string | null;
  progress: {
    profile: string;
    phase: string;
    step: number;
    totalSteps: number;
    params: number;
    valAccuracy?: number;
    etaSeconds: number;
  } | null;
  results: {
    profile: string;
    artifactId: string;
    modelVersionId: string;
    fits: boolean;
    reasons: string[];
  }[];
  createdAt: string;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** `fleetprune jobs ...`: pruning jobs on a server. */
export function jobsCommand(): Command {
  const jobs = new Command('jobs').description('pruning jobs on a server');

  withServerOptions(jobs.command('create'))
    .description('prune a model for device profiles on the server; prints the job id')
    .requiredOption('--model <id>', 'model id (its latest version is pruned)')
    .requiredOption('--profile <name...>', 'one or more device profiles')
    .option('--target-params <fraction>', 'fraction of parameters to keep, e.g. 0.4', Number.parseFloat)
    .option('--max-drop <points>', 'largest tolerated accuracy drop in points', Number.parseFloat)
    .option('--epochs <n>', 'whole training budget in epochs', Number.parseFloat)
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10))
    .option('--scorer <name>', 'taylor | l1 | random')
    .option('--dataset <name>', 'fashion-mnist | mnist')
    .option('--train-limit <n>', 'cap on training images', (v) => Number.parseInt(v, 10))
    .option(
      '--min-keep-fraction <share>',
      `share of each layer's channels pruning leaves (default ${DEFAULT_MIN_KEEP_FRACTION})`,
      Number.parseFloat,
    )
    .action(async (opts: ServerOptions & Record<string, unknown>) => {
      const job = await new ServerClient(opts).request<JobView>('POST', '/api/pruning-jobs', {
        model: opts.model,
        profiles: opts.profile,
        targetParams: opts.targetParams,
        maxDrop: opts.maxDrop,
        epochs: opts.epochs,
        seed: opts.seed,
        scorer: opts.scorer,
        dataset: opts.dataset,
        trainLimit: opts.trainLimit,
        minKeepFraction: opts.minKeepFraction,
      });
      console.log(job.id);
    });

  withServerOptions(jobs.command('show <id>'))
    .description(
      'show a job; with --wait follow its progress and exit 0 when it succeeded (artifact id printed last)',
    )
    .option('--wait', 'follow until the job finishes')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: ServerOptions & { wait?: boolean; json?: boolean }) => {
      const client = new ServerClient(opts);
      let job = await client.request<JobView>('GET', `/api/pruning-jobs/${encodeURIComponent(id)}`);
      while (opts.wait && !FINISHED.has(job.status)) {
        if (job.progress && process.stderr.isTTY !== undefined)
          process.stderr.write(`\r${progressLine(job)}`);
        await new Promise((r) => setTimeout(r, 1000));
        job = await client.request<JobView>('GET', `/api/pruning-jobs/${encodeURIComponent(id)}`);
      }
      if (opts.wait) process.stderr.write('\n');
      if (opts.json) console.log(JSON.stringify(job, null, 2));
      else {
        console.log(`job ${job.id}: ${job.status}${job.error ? ` (${job.error})` : ''}`);
        for (const r of job.results) {
          console.log(
            `  ${r.profile}: model version ${r.modelVersionId}, ${r.fits ? 'fits' : `does NOT fit: ${r.reasons.join('; ')}`}`,
          );
        }
        for (const r of job.results) console.log(r.artifactId);
      }
      if (opts.wait && job.status !== 'succeeded')
        throw new CliError(`job ${job.status}${job.error ? `: ${job.error}` : ''}`);
    });

  withServerOptions(jobs.command('list'))
    .description('list pruning jobs')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const rows = await new ServerClient(opts).request<JobView[]>('GET', '/api/pruning-jobs');
      printTable(
        rows as unknown as Record<string, unknown>[],
        ['id', 'status', 'profiles', 'createdAt'],
        opts.json,
      );
    });

  return jobs;
}

function progressLine(job: JobView): string {
  const p = job.progress!;
  const width = 30;
  const done = Math.round((p.step / Math.max(1, p.totalSteps)) * width);
  const acc = p.valAccuracy !== undefined ? ` val ${(100 * p.valAccuracy).toFixed(1)}%` : '';
  return `  ${p.profile} ${p.phase.padEnd(10)} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.step}/${p.totalSteps} params ${p.params}${acc} eta ${Math.round(p.etaSeconds)}s   `;
}
