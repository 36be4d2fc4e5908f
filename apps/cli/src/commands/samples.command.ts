import { Command } from 'commander';
import { intOption } from '../option-parsers';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface StatsView {
  profiles: { profile: string; count: number; labelled: number; misclassified: number }[];
  accepted: number;
  evicted: number;
  rejected: Record<string, number>;
}

/** `fleetprune samples ...`: field samples devices uploaded (docs/field-samples.md). */
export function samplesCommand(): Command {
  const samples = new Command('samples').description('field samples uploaded by devices');

  withServerOptions(samples.command('list'))
    .description('list stored samples, newest first (metadata only)')
    .option('--profile <name>', 'only this device profile')
    .option('--device <id>', 'only this device')
    .option('--labelled-only', 'only samples whose true label is known')
    .option('--limit <n>', 'at most n samples (default 100)', intOption('--limit', 1))
    .option('--json', 'print JSON')
    .action(
      async (
        opts: ServerOptions & {
          profile?: string;
          device?: string;
          labelledOnly?: boolean;
          limit?: number;
          json?: boolean;
        },
      ) => {
        const params = new URLSearchParams();
        if (opts.profile) params.set('profile', opts.profile);
        if (opts.device) params.set('deviceId', opts.device);
        if (opts.labelledOnly) params.set('labelledOnly', 'true');
        if (opts.limit !== undefined) params.set('limit', String(opts.limit));
        const query = params.toString() ? `?${params}` : '';
        const rows = await new ServerClient(opts).request<Record<string, unknown>[]>(
          'GET',
          `/api/field-samples${query}`,
        );
        printTable(
          rows.map((r) => ({ ...r, capturedAt: new Date(r.capturedAt as number).toISOString() })),
          ['id', 'deviceId', 'profile', 'modelVersion', 'label', 'predicted', 'confidence', 'capturedAt'],
          opts.json,
        );
      },
    );

  withServerOptions(samples.command('stats'))
    .description('per profile: stored, labelled and misclassified samples; ingest counters since start')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const stats = await new ServerClient(opts).request<StatsView>('GET', '/api/field-samples/stats');
      if (opts.json) return console.log(JSON.stringify(stats, null, 2));
      printTable(stats.profiles, ['profile', 'count', 'labelled', 'misclassified']);
      const rejected = Object.entries(stats.rejected).map(([why, n]) => `${n} ${why}`);
      console.log(
        `accepted ${stats.accepted}, evicted ${stats.evicted}, rejected ${rejected.length ? rejected.join(', ') : 0}`,
      );
    });

  withServerOptions(samples.command('request'))
    .description('ask every online device of a target to upload samples')
    .requiredOption('--target <target>', 'device:<id> | group:<name> | tag:<name> | profile:<name>')
    .option('--max <n>', 'samples per device', intOption('--max', 1))
    .option('--misclassified-only', 'only samples the device got wrong')
    .action(async (opts: ServerOptions & { target: string; max?: number; misclassifiedOnly?: boolean }) => {
      const answer = await new ServerClient(opts).request<{ asked: number; deviceIds: string[] }>(
        'POST',
        '/api/field-samples/request',
        { target: opts.target, max: opts.max, misclassifiedOnly: opts.misclassifiedOnly },
      );
      console.log(`asked ${answer.asked} device(s)${answer.asked ? `: ${answer.deviceIds.join(', ')}` : ''}`);
    });

  withServerOptions(samples.command('delete'))
    .description('delete every stored sample of a profile')
    .requiredOption('--profile <name>', 'device profile')
    .action(async (opts: ServerOptions & { profile: string }) => {
      const { deleted } = await new ServerClient(opts).request<{ deleted: number }>(
        'DELETE',
        `/api/field-samples?profile=${encodeURIComponent(opts.profile)}`,
      );
      console.log(`deleted ${deleted} sample(s) of ${opts.profile}`);
    });

  return samples;
}
