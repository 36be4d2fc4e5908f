import { Command } from 'commander';
import { intOption, parseSince } from '../option-parsers';
import { CliError, ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

/** One audit event as GET /api/events returns it. */
export interface EventView {
  id: number;
  at: number;
  type: string;
  profile: string | null;
  subject: string | null;
  message: string;
  evidence: Record<string, unknown>;
}

interface EventsOptions extends ServerOptions {
  profile?: string;
  type?: string;
  subject?: string;
  since?: number;
  limit?: number;
  follow?: boolean;
  for?: number;
  json?: boolean;
}

// One page per request while catching up; the server's own cap is 5000.
const PAGE = 500;

/** `fleetprune events`: the audit trail, oldest first; --follow keeps polling for new events. */
export function eventsCommand(): Command {
  return withServerOptions(new Command('events'))
    .description('print audit events (time, type, message), oldest first; --follow polls every second')
    .option('--profile <name>', 'only events about this device profile')
    .option('--type <type>', 'only this type, e.g. rollout_started, drift_detected')
    .option('--subject <subject>', 'only this subject, e.g. rollout:<id> or remediation:<id>')
    .option('--since <when>', 'from this time (ISO) or age (30s, 10m, 2h, 1d)', (v) => parseSince(v))
    .option('--limit <n>', `print at most n events (without --follow)`, intOption('--limit', 1))
    .option('--follow', 'keep polling for new events until Ctrl-C (or --for)')
    .option('--for <seconds>', 'with --follow, stop after this many seconds', intOption('--for', 1))
    .option('--json', 'one JSON object per line')
    .action(async (opts: EventsOptions) => {
      if (opts.for !== undefined && !opts.follow) throw new CliError('--for goes with --follow');
      if (opts.limit !== undefined && opts.follow) throw new CliError('--limit does not go with --follow');
      const client = new ServerClient(opts);
      const print = (e: EventView) =>
        console.log(
          opts.json ? JSON.stringify(e) : `${new Date(e.at).toISOString()}  ${e.type}  ${e.message}`,
        );
      let afterId: number | undefined;
      let printed = 0;
      /** Prints the next page; true when it was full (there may be more). */
      const fetchNew = async (): Promise<boolean> => {
        const want = opts.limit === undefined ? PAGE : Math.min(PAGE, opts.limit - printed);
        const page = await client.request<EventView[]>('GET', `/api/events?${query(opts, afterId, want)}`);
        for (const e of page) print(e);
        if (page.length > 0) afterId = page[page.length - 1].id;
        printed += page.length;
        return page.length === want && (opts.limit === undefined || printed < opts.limit);
      };
      while (await fetchNew());
      if (!opts.follow) return;
      await pollUntilStopped(opts.for, async () => {
        while (await fetchNew());
      });
    });
}

function query(opts: EventsOptions, afterId: number | undefined, limit: number): string {
  const params = new URLSearchParams();
  if (afterId !== undefined) params.set('afterId', String(afterId));
  else if (opts.since !== undefined) params.set('since', String(opts.since));
  if (opts.type) params.set('type', opts.type);
  if (opts.profile) params.set('profile', opts.profile);
  if (opts.subject) params.set('subject', opts.subject);
  params.set('limit', String(limit));
  return params.toString();
}

/** Runs `poll` every second until Ctrl-C or `seconds` have passed. */
async function pollUntilStopped(seconds: number | undefined, poll: () => Promise<void>): Promise<void> {
  const deadline = seconds === undefined ? Infinity : Date.now() + seconds * 1000;
  let stopped = false;
  let wake: () => void = () => undefined;
  const onSigint = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', onSigint);
  try {
    while (!stopped && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(0, Math.min(1000, deadline - Date.now())));
      });
      if (!stopped) await poll();
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
