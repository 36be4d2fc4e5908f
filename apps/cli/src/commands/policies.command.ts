import { Command } from 'commander';
import { intOption, numberOption } from '../option-parsers';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

/** A drift policy as GET /api/drift-policies/:profile returns it. */
interface PolicyView {
  profile: string;
  enabled: boolean;
  targetAccuracy: number;
  windowS: number;
  minSamples: number;
  lastCheck: {
    at: number;
    incumbentArtifactId: string | null;
    evidence: Record<string, unknown> | null;
    skipped: string | null;
  } | null;
  [knob: string]: unknown;
}

/**
 * Every optional knob of PUT /api/drift-policies/:profile (PutDriftPolicyDto): flag, body key,
 * whole or decimal, help. The server checks the ranges and names the bad one.
 */
const KNOBS: [flag: string, key: string, kind: 'int' | 'number', help: string][] = [
  ['--window-s', 'windowS', 'int', 'telemetry window, seconds (default 600)'],
  ['--min-samples', 'minSamples', 'int', 'labelled samples before any verdict (default 300)'],
  ['--confidence', 'confidence', 'number', 'one-sided confidence of the bounds (default 0.95)'],
  ['--cooldown-s', 'cooldownS', 'int', 'quiet time after a remediation ends, seconds (default 1800)'],
  [
    '--reprune-relax',
    'repruneRelax',
    'number',
    "candidate keeps this many times the incumbent's parameters (default 1.5)",
  ],
  ['--reprune-epochs', 'repruneEpochs', 'number', 'training budget of the re-pruning job (default 2)'],
  ['--reprune-train-limit', 'repruneTrainLimit', 'int', 'cap on its training images (default all)'],
  ['--reprune-test-limit', 'repruneTestLimit', 'int', 'cap on its test images (default 1000)'],
  [
    '--field-sample-share',
    'fieldSampleShare',
    'number',
    'share of fine-tuning images from the field, 0 = none (default 0.3)',
  ],
  [
    '--samples-per-device',
    'samplesPerDevice',
    'int',
    'samples asked of each device per request (default 16)',
  ],
  ['--sample-wait-s', 'sampleWaitS', 'int', 'seconds to collect field samples (default 30)'],
  ['--canary-share', 'canaryShare', 'number', 'share of devices in the canary (default 0.1)'],
  [
    '--canary-min-samples',
    'canaryMinSamples',
    'int',
    'labelled samples on each side before the canary is judged (default 300)',
  ],
  ['--canary-margin', 'canaryMargin', 'number', 'non-inferiority margin of the canary (default 0.02)'],
  [
    '--canary-timeout-s',
    'canaryTimeoutS',
    'int',
    'seconds before an undecided canary is rolled back (default 3600)',
  ],
];

/** `fleetprune policies ...`: drift policies of the closed loop, one per device profile. */
export function policiesCommand(): Command {
  const policies = new Command('policies').description('drift policies (closed loop, docs/closed-loop.md)');

  const set = withServerOptions(policies.command('set <profile>'))
    .description("create or replace a profile's drift policy (knobs not given take their defaults)")
    .requiredOption(
      '--target-accuracy <fraction>',
      'field accuracy to keep, e.g. 0.85',
      numberOption('--target-accuracy'),
    )
    .option('--disable', 'store the policy but do not check it');
  for (const [flag, , kind, help] of KNOBS)
    set.option(
      `${flag} <${kind === 'int' ? 'n' : 'x'}>`,
      help,
      kind === 'int' ? intOption(flag) : numberOption(flag),
    );
  set
    .option('--json', 'print JSON')
    .action(async (profile: string, opts: ServerOptions & Record<string, unknown>) => {
      const body: Record<string, unknown> = { targetAccuracy: opts.targetAccuracy, enabled: !opts.disable };
      for (const [, key] of KNOBS) if (opts[key] !== undefined) body[key] = opts[key];
      const view = await new ServerClient(opts).request<PolicyView>('PUT', policyPath(profile), body);
      if (opts.json) console.log(JSON.stringify(view, null, 2));
      else printPolicy(view);
    });

  withServerOptions(policies.command('list'))
    .description('list drift policies with the last check of each profile')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const rows = await new ServerClient(opts).request<PolicyView[]>('GET', '/api/drift-policies');
      printTable(
        rows.map((p) => ({ ...p, lastCheck: checkSummary(p.lastCheck) })),
        ['profile', 'enabled', 'targetAccuracy', 'windowS', 'minSamples', 'lastCheck'],
        opts.json,
      );
    });

  withServerOptions(policies.command('show <profile>'))
    .description("show a profile's drift policy and the monitor's last check")
    .option('--json', 'print JSON')
    .action(async (profile: string, opts: ServerOptions & { json?: boolean }) => {
      const view = await new ServerClient(opts).request<PolicyView>('GET', policyPath(profile));
      if (opts.json) console.log(JSON.stringify(view, null, 2));
      else printPolicy(view);
    });

  withServerOptions(policies.command('delete <profile>'))
    .description("delete a profile's drift policy (remediations under way continue)")
    .action(async (profile: string, opts: ServerOptions) => {
      await new ServerClient(opts).request('DELETE', policyPath(profile));
      console.log(`deleted the drift policy of ${profile}`);
    });

  return policies;
}

function policyPath(profile: string): string {
  return `/api/drift-policies/${encodeURIComponent(profile)}`;
}

/** "12:00:01 skipped: cooldown" or "12:00:01 accuracy 0.91 (upper 0.93) of 450": one check in a phrase. */
function checkSummary(check: PolicyView['lastCheck']): string {
  if (!check) return 'not checked yet';
  const at = new Date(check.at).toISOString();
  if (check.skipped) return `${at} skipped: ${check.skipped}`;
  const e = check.evidence ?? {};
  const fixed = (v: unknown) => (typeof v === 'number' ? v.toFixed(3) : '-');
  return `${at} accuracy ${fixed(e.accuracy)} (upper bound ${fixed(e.upperBound)}) over ${e.labelled ?? 0} labelled`;
}

function printPolicy(view: PolicyView): void {
  const { lastCheck, ...knobs } = view;
  console.log(`drift policy of ${view.profile}: ${view.enabled ? 'enabled' : 'disabled'}`);
  for (const [key, value] of Object.entries(knobs))
    if (key !== 'profile' && key !== 'enabled')
      console.log(`  ${key}: ${value === null ? '-' : String(value)}`);
  console.log(`last check: ${checkSummary(lastCheck)}`);
}
