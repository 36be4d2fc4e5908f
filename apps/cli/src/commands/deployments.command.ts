import { Command } from 'commander';
import { printTable } from '../output';
import { CliError, ServerClient, ServerOptions } from '../server-client';
import { DeploymentView, summarizeCounts } from './deployment-view';
import { withServerOptions } from './server-options';

/** `fleetprune deployments ...`: follow and cancel OTA rollouts. */
export function deploymentsCommand(): Command {
  const deployments = new Command('deployments').description('OTA rollouts on a server');

  withServerOptions(deployments.command('list'))
    .description('list deployments, newest first')
    .option('--status <status>', 'active | completed | failed | cancelled')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { status?: string; json?: boolean }) => {
      const query = opts.status ? `?status=${encodeURIComponent(opts.status)}` : '';
      const rows = await new ServerClient(opts).request<DeploymentView[]>('GET', `/api/deployments${query}`);
      printTable(
        rows.map((d) => ({ ...d, progress: summarizeCounts(d) })),
        ['id', 'status', 'target', 'modelVersion', 'progress', 'createdAt'],
        opts.json,
      );
    });

  withServerOptions(deployments.command('show <id>'))
    .description(
      'show a deployment per device; with --wait exit 0 once every device activated, else 1 with the reasons',
    )
    .option('--wait', 'follow until the rollout ends')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: ServerOptions & { wait?: boolean; json?: boolean }) => {
      const client = new ServerClient(opts);
      if (opts.wait) return followDeployment(client, id, opts.json);
      const view = await fetchDeployment(client, id);
      if (opts.json) console.log(JSON.stringify(view, null, 2));
      else printDeployment(view);
    });

  withServerOptions(deployments.command('cancel <id>'))
    .description('cancel a rollout: offers withdrawn, downloads stopped, active models kept')
    .action(async (id: string, opts: ServerOptions) => {
      const view = await new ServerClient(opts).request<DeploymentView>(
        'POST',
        `/api/deployments/${encodeURIComponent(id)}/cancel`,
      );
      console.log(`deployment ${view.id}: ${view.status} (${summarizeCounts(view)})`);
    });

  return deployments;
}

/** Polls a deployment until it ends; resolves when every device activated, else throws with the reasons. */
export async function followDeployment(client: ServerClient, id: string, json = false): Promise<void> {
  let view = await fetchDeployment(client, id);
  let last = '';
  while (view.status === 'active') {
    const line = `${view.id.slice(0, 8)} ${summarizeCounts(view)}`;
    if (line !== last) console.error(line);
    last = line;
    await new Promise((r) => setTimeout(r, 1000));
    view = await fetchDeployment(client, id);
  }
  if (json) console.log(JSON.stringify(view, null, 2));
  else printDeployment(view);
  if (view.status !== 'completed') {
    const reasons = (view.sessions ?? [])
      .filter((s) => s.state !== 'activated')
      .map(
        (s) =>
          `${s.deviceId}: ${s.state}${s.reason ? ` ${s.reason}` : ''}${s.detail ? ` (${s.detail})` : ''}`,
      );
    throw new CliError(`deployment ${view.status}:\n  ${reasons.join('\n  ')}`);
  }
}

function fetchDeployment(client: ServerClient, id: string): Promise<DeploymentView> {
  return client.request<DeploymentView>('GET', `/api/deployments/${encodeURIComponent(id)}`);
}

function printDeployment(view: DeploymentView): void {
  console.log(
    `deployment ${view.id}: ${view.status}, ${view.modelVersion} (${view.size} bytes) to ${view.target}: ${summarizeCounts(view)}`,
  );
  printTable(view.sessions ?? [], ['deviceId', 'state', 'percent', 'attempts', 'reason', 'detail']);
}
