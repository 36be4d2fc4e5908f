import { Command } from 'commander';
import { intOption, parseStages } from '../option-parsers';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { followRollout, printRollout, RolloutView, rolloutState, stageRows } from './rollout-view';
import { withServerOptions } from './server-options';

interface CreateOptions extends ServerOptions {
  artifact: string;
  target: string;
  stages?: number[];
  manual?: boolean;
  maxConcurrent?: number;
  wait?: boolean;
  json?: boolean;
}

const ACTIONS = {
  pause: 'stop new offers; downloads under way finish and the next stage waits',
  resume: 'continue a paused rollout, or start the next stage of one waiting at its gate',
  abort: 'stop the rollout; devices keep what they activated',
  rollback: "put each reached device's previous model back",
} as const;

/** `fleetprune rollouts ...`: staged rollouts (stages, gates, pause, resume, abort, rollback). */
export function rolloutsCommand(): Command {
  const rollouts = new Command('rollouts').description('staged OTA rollouts on a server');

  withServerOptions(rollouts.command('create'))
    .description('roll a tflite artifact out in stages; prints the rollout id')
    .requiredOption('--artifact <id>', 'tflite artifact id')
    .requiredOption('--target <target>', 'device:<id> | group:<name> | tag:<name> | profile:<name>')
    .option(
      '--stages <percentages>',
      'cumulative shares of the devices, e.g. 10,50,100 (default 100)',
      parseStages,
    )
    .option('--manual', 'wait for "rollouts resume" between stages instead of advancing by itself')
    .option(
      '--max-concurrent <n>',
      'devices downloading at once (default 100)',
      intOption('--max-concurrent', 1),
    )
    .option('--wait', 'follow like "rollouts show --wait"')
    .option('--json', 'with --wait, print the final rollout as JSON')
    .action(async (opts: CreateOptions) => {
      const client = new ServerClient(opts);
      const created = await client.request<RolloutView>('POST', '/api/rollouts', {
        artifactId: opts.artifact,
        target: opts.target,
        stages: opts.stages,
        autoAdvance: opts.manual ? false : undefined,
        maxConcurrent: opts.maxConcurrent,
      });
      console.log(created.id);
      if (opts.wait) await followRollout(client, created.id, opts.json);
    });

  withServerOptions(rollouts.command('list'))
    .description('list rollouts, newest first')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const rows = await new ServerClient(opts).request<RolloutView[]>('GET', '/api/rollouts');
      printTable(
        rows.map((r) => ({ ...r, stage: `${r.stageIndex + 1}/${r.stages.length}`, gate: r.awaitingAdvance })),
        ['id', 'kind', 'status', 'stage', 'gate', 'target', 'modelVersion', 'createdAt'],
        opts.json,
      );
    });

  withServerOptions(rollouts.command('show <id>'))
    .description(
      'show a rollout stage by stage; with --wait follow it until it completes (exit 0), waits at a gate (exit 0), or pauses, aborts or rolls back (exit 1)',
    )
    .option('--wait', 'follow the rollout')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: ServerOptions & { wait?: boolean; json?: boolean }) => {
      const client = new ServerClient(opts);
      if (opts.wait) return followRollout(client, id, opts.json);
      const view = await client.request<RolloutView>('GET', `/api/rollouts/${encodeURIComponent(id)}`);
      const rows = await stageRows(client, view);
      if (opts.json) console.log(JSON.stringify({ ...view, stageRows: rows }, null, 2));
      else printRollout(view, rows);
    });

  for (const [action, description] of Object.entries(ACTIONS)) {
    withServerOptions(rollouts.command(`${action} <id>`))
      .description(description)
      .option('--reason <text>', 'why (kept in the audit trail)')
      .action(async (id: string, opts: ServerOptions & { reason?: string }) => {
        const view = await new ServerClient(opts).request<RolloutView>(
          'POST',
          `/api/rollouts/${encodeURIComponent(id)}/${action}`,
          { reason: opts.reason },
        );
        console.log(`rollout ${view.id}: ${rolloutState(view)}`);
      });
  }

  return rollouts;
}
