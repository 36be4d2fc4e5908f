import { Command } from 'commander';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import type { EventView } from './events.command';
import { withServerOptions } from './server-options';

/** A closed-loop run as GET /api/remediations/:id returns it. */
interface RemediationView {
  id: string;
  profile: string;
  state: string;
  incumbentArtifactId: string;
  incumbentModelVersion: string;
  candidateArtifactId: string | null;
  pruningJobId: string | null;
  rolloutId: string | null;
  evidence: Record<string, unknown>;
  canaryEvidence: Record<string, unknown> | null;
  detail: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** `fleetprune remediations ...`: closed-loop runs (drift -> samples -> re-prune -> canary -> promote). */
export function remediationsCommand(): Command {
  const remediations = new Command('remediations').description('closed-loop runs opened by drift policies');

  withServerOptions(remediations.command('list'))
    .description('list remediations, newest first')
    .option('--profile <name>', 'only this device profile')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { profile?: string; json?: boolean }) => {
      const query = opts.profile ? `?profile=${encodeURIComponent(opts.profile)}` : '';
      const rows = await new ServerClient(opts).request<RemediationView[]>(
        'GET',
        `/api/remediations${query}`,
      );
      printTable(
        rows as unknown as Record<string, unknown>[],
        ['id', 'profile', 'state', 'incumbentModelVersion', 'candidateArtifactId', 'rolloutId', 'createdAt'],
        opts.json,
      );
    });

  withServerOptions(remediations.command('show <id>'))
    .description('show a remediation: its state, the evidence it acted on, and its events')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: ServerOptions & { json?: boolean }) => {
      const client = new ServerClient(opts);
      const [view, events] = await Promise.all([
        client.request<RemediationView>('GET', `/api/remediations/${encodeURIComponent(id)}`),
        client.request<EventView[]>('GET', `/api/events?subject=${encodeURIComponent(`remediation:${id}`)}`),
      ]);
      if (opts.json) return console.log(JSON.stringify({ ...view, events }, null, 2));
      console.log(
        `remediation ${view.id} of ${view.profile}: ${view.state}${view.detail ? ` (${view.detail})` : ''}`,
      );
      console.log(`  incumbent: ${view.incumbentModelVersion} (artifact ${view.incumbentArtifactId})`);
      console.log(`  candidate artifact: ${view.candidateArtifactId ?? '-'}`);
      console.log(`  pruning job: ${view.pruningJobId ?? '-'}`);
      console.log(`  rollout: ${view.rolloutId ?? '-'}`);
      console.log(`  drift evidence: ${JSON.stringify(view.evidence)}`);
      if (view.canaryEvidence) console.log(`  canary evidence: ${JSON.stringify(view.canaryEvidence)}`);
      console.log(`  started ${view.createdAt}${view.finishedAt ? `, finished ${view.finishedAt}` : ''}`);
      for (const e of events) console.log(`${new Date(e.at).toISOString()}  ${e.type}  ${e.message}`);
    });

  return remediations;
}
