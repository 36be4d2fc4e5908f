import { Command } from 'commander';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

/** `fleetprune profiles list`. */
export function profilesCommand(): Command {
  const profiles = new Command('profiles').description(
    'device profiles (budgets for pruning and deployment)',
  );
  withServerOptions(profiles.command('list'))
    .description('list built-in and custom profiles')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const rows = await new ServerClient(opts).request<Record<string, unknown>[]>('GET', '/api/profiles');
      const view = rows.map((p) => ({
        ...p,
        flash: kib(p.flashBytes),
        ram: kib(p.ramBytes),
        mmacs: `${Number(p.macsPerSecond) / 1e6}`,
      }));
      printTable(
        opts.json ? rows : view,
        ['name', 'runtime', 'flash', 'ram', 'clockMhz', 'mmacs', 'latencyBudgetMs', 'builtin'],
        opts.json,
      );
    });
  return profiles;
}

function kib(bytes: unknown): string {
  return `${Math.round(Number(bytes) / 1024)} KiB`;
}
