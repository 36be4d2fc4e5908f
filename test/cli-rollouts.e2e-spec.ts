/**
 * The fleet-operations CLI against the real server and simulated devices on the embedded broker:
 * staged manual rollouts (gate, resume, completion, rollback), drift policies, the audit trail
 * (including --follow), remediations and field samples.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceAgent } from '@fleetprune/devices';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, registerAgent, startServer, tempDataDir } from './helpers';
import { cli } from './support/cli-runner';

jest.setTimeout(90_000);

const TESTDATA = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite');
const DEVICES = 4;

describe('fleetprune rollouts / policies / events / remediations / samples (real server, simulated devices)', () => {
  const dataDir = tempDataDir('fleetprune-cli-rollouts-');
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let auth: string[];
  const agents: { id: string; agent: DeviceAgent }[] = [];
  const artifacts: Record<string, string> = {};
  let rolloutId: string;

  /** Runs the CLI against this server. */
  const run = (...args: string[]) => cli(...args, ...auth);
  const running = (artifactId: string) =>
    agents.filter((a) => a.agent.state.activeArtifactId === artifactId).length;
  const upload = async (file: string, modelVersion: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(join(TESTDATA, file)))]), file);
    form.append('modelVersion', modelVersion);
    const answer = await call('POST', '/api/artifacts', form);
    expect(answer.status).toBe(201);
    return answer.json.id;
  };

  beforeAll(async () => {
    server = await startServer(dataDir, { CLOSED_LOOP_TICK_S: '0.2' });
    call = api(server);
    auth = ['--server', server.httpUrl, '--token', server.token];
    for (let i = 0; i < DEVICES; i++) {
      const registered = await registerAgent(server, { name: `cli-${i}`, group: 'cli' });
      agents.push(registered);
      await registered.agent.start();
    }
    artifacts.hello = await upload('hello_world_int8.tflite', 'hello-1');
    artifacts.person = await upload('person_detect.tflite', 'person-1');
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.agent.stop()));
    await server?.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad flags with a clear message before calling the server', async () => {
    const base = ['rollouts', 'create', '--artifact', artifacts.hello, '--target', 'group:cli'];
    const badStages = await run(...base, '--stages', '50,40,100');
    expect(badStages.code).toBe(1);
    expect(badStages.err).toMatch(/--stages must be increasing percentages ending at 100/);
    const badConcurrency = await run(...base, '--max-concurrent', 'lots');
    expect(badConcurrency.err).toMatch(/--max-concurrent must be a whole number/);
    const badAccuracy = await run('policies', 'set', 'rpi-4', '--target-accuracy', 'high');
    expect(badAccuracy.err).toMatch(/--target-accuracy must be a number/);
    expect((await run('events', '--for', '2')).err).toMatch(/--for goes with --follow/);
    // ...and relays the server's reason for what only the server can judge.
    const noDevice = await run(
      'rollouts',
      'create',
      '--artifact',
      artifacts.hello,
      '--target',
      'group:nobody',
    );
    expect(noDevice.code).toBe(1);
    expect(noDevice.err).toMatch(/400 target group:nobody matches no device/);
    expect((await call('GET', '/api/rollouts')).json).toHaveLength(0);
  });

  it('rolls out in one stage with --wait, exit 0 once completed', async () => {
    const first = await run(
      'rollouts',
      'create',
      '--artifact',
      artifacts.hello,
      '--target',
      'group:cli',
      '--wait',
    );
    expect(first.code).toBe(0);
    // Progress on stderr, one line per change; the rollout itself on stdout.
    expect(first.err.split('\n').pop()).toMatch(/completed, stage 1\/1 \(100%\); 4\/4 activated$/);
    expect(first.out).toMatch(/completed, stage 1\/1 \(100%\)/);
    expect(running(artifacts.hello)).toBe(DEVICES);
  });

  it('creates a staged manual rollout, waits at the gate, resumes, completes and rolls back', async () => {
    const created = await run(
      'rollouts',
      'create',
      '--artifact',
      artifacts.person,
      '--target',
      'group:cli',
      '--stages',
      '50,100',
      '--manual',
      '--max-concurrent',
      '2',
      '--wait',
    );
    expect(created.code).toBe(0);
    expect(created.err.split('\n').pop()).toMatch(/waiting for "rollouts resume"; 2\/2 activated$/);
    rolloutId = created.out.split('\n')[0];
    expect(rolloutId).toMatch(/^[0-9a-f-]{36}$/);
    // --wait returned at the gate: stage 1 (half the devices) done, stage 2 not started.
    expect(created.out).toContain('running, stage 1/2 (50%), waiting for "rollouts resume"');
    expect(running(artifacts.person)).toBe(DEVICES / 2);

    const shown = await run('rollouts', 'show', rolloutId);
    const rows = shown.out.split('\n').filter((l) => /^\d+\s/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^1\s+50\s+2\s+[0-9a-f-]{36}\s+completed\s+2\/2 activated$/);
    expect(rows[1]).toMatch(/^2\s+100\s+-\s+-\s+pending\s+-$/);

    const resumed = await run('rollouts', 'resume', rolloutId, '--reason', 'stage 1 looks fine');
    expect(resumed.out).toMatch(/running, stage 2\/2 \(100%\)/);
    const waited = await run('rollouts', 'show', rolloutId, '--wait', '--json');
    expect(waited.code).toBe(0);
    const view = JSON.parse(waited.out);
    expect(view).toMatchObject({ status: 'completed', stageIndex: 1, stageDevices: [2, 4] });
    expect(view.stageRows.map((r: { status: string }) => r.status)).toEqual(['completed', 'completed']);
    expect(running(artifacts.person)).toBe(DEVICES);

    const listed = JSON.parse((await run('rollouts', 'list', '--json')).out);
    expect(listed.map((r: { id: string }) => r.id)).toContain(rolloutId);

    const back = await run('rollouts', 'rollback', rolloutId, '--reason', 'field reports');
    expect(back.out).toMatch(/rolled_back.*field reports/);
    await eventually(async () => running(artifacts.hello) === DEVICES, 30_000);
    const again = await run('rollouts', 'rollback', rolloutId);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/409 cannot roll back rollout .*: it is rolled_back/);
  });

  it('events lists what happened to the rollout, in order, one line each', async () => {
    const { out, code } = await run('events', '--subject', `rollout:${rolloutId}`);
    expect(code).toBe(0);
    const lines = out.split('\n');
    const at = lines.map((l) => Date.parse(l.split(/\s+/)[0]));
    expect(at.every((t, i) => Number.isFinite(t) && (i === 0 || t >= at[i - 1]))).toBe(true);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual([
      'rollout_started',
      'rollout_stage_started',
      'rollout_stage_started',
      'rollout_completed',
      'rollout_rolled_back',
    ]);
    expect(lines[2]).toContain('stage 1 looks fine');
    expect(lines[4]).toContain('field reports');

    const completed = await run('events', '--type', 'rollout_completed', '--json');
    const parsed = completed.out.split('\n').map((l) => JSON.parse(l));
    expect(parsed).toHaveLength(2);
    expect(parsed.every((e) => e.type === 'rollout_completed')).toBe(true);
    expect((await run('events', '--type', 'rollout_started', '--limit', '1')).out.split('\n')).toHaveLength(
      1,
    );
    const bogus = await run('events', '--type', 'bogus');
    expect(bogus.code).toBe(1);
    expect(bogus.err).toMatch(/400 .*type/);
  });

  it('events --follow prints events as they happen and stops after --for', async () => {
    const since = new Date().toISOString();
    const following = run('events', '--follow', '--for', '3', '--since', since);
    // Something happens while the CLI follows: a rollout that is aborted at once.
    await new Promise((r) => setTimeout(r, 1200));
    const late = await call('POST', '/api/rollouts', {
      artifactId: artifacts.person,
      target: 'group:cli',
      maxConcurrent: 1,
    });
    await call('POST', `/api/rollouts/${late.json.id}/abort`, { reason: 'changed my mind' });
    const { out, code } = await following;
    expect(code).toBe(0);
    const types = out.split('\n').map((l) => l.split(/\s+/)[1]);
    expect(types).toEqual(['rollout_started', 'rollout_stage_started', 'rollout_aborted']);
    expect(out).toContain('changed my mind');
    await eventually(async () => agents.every((a) => !a.agent.state.downloading), 30_000);
  });

  it('sets, shows (with its last check), lists and deletes a drift policy', async () => {
    const set = await run(
      'policies',
      'set',
      'rpi-4',
      '--target-accuracy',
      '0.85',
      '--window-s',
      '120',
      '--min-samples',
      '500',
      '--canary-share',
      '0.2',
      '--reprune-train-limit',
      '2000',
    );
    expect(set.code).toBe(0);
    expect(set.out).toContain('drift policy of rpi-4: enabled');
    const stored = (await call('GET', '/api/drift-policies/rpi-4')).json;
    expect(stored).toMatchObject({
      enabled: true,
      targetAccuracy: 0.85,
      windowS: 120,
      minSamples: 500,
      canaryShare: 0.2,
      repruneTrainLimit: 2000,
      cooldownS: 1800, // not given: the default
    });
    // The monitor checks every 0.2 s; no labelled telemetry yet, so no verdict.
    await eventually(
      async () => (await call('GET', '/api/drift-policies/rpi-4')).json.lastCheck !== null,
      10_000,
    );
    const shown = await run('policies', 'show', 'rpi-4');
    expect(shown.out).toContain('  windowS: 120');
    expect(shown.out).toMatch(/last check: \d{4}-\d\d-\d\dT.*(skipped|over 0 labelled)/);
    const listed = await run('policies', 'list');
    expect(listed.out).toMatch(/rpi-4\s+true\s+0.85\s+120\s+500/);

    const disabled = await run('policies', 'set', 'rpi-4', '--target-accuracy', '0.9', '--disable');
    expect(disabled.out).toContain('drift policy of rpi-4: disabled');
    expect((await call('GET', '/api/drift-policies/rpi-4')).json).toMatchObject({
      windowS: 600,
      enabled: false,
    });

    expect((await run('policies', 'delete', 'rpi-4')).out).toBe('deleted the drift policy of rpi-4');
    const gone = await run('policies', 'show', 'rpi-4');
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/404 drift policy of profile "rpi-4" does not exist/);
    expect((await run('policies', 'list')).out).toBe('(none)');
    const outOfRange = await run(
      'policies',
      'set',
      'rpi-4',
      '--target-accuracy',
      '0.85',
      '--canary-share',
      '0.9',
    );
    expect(outOfRange.err).toMatch(/400 .*canaryShare/);
  });

  it('remediations list and show', async () => {
    expect((await run('remediations', 'list', '--profile', 'rpi-4')).out).toBe('(none)');
    const missing = await run('remediations', 'show', '6f1c1f8e-8d55-4a43-9a43-3c1c6f0f2b11');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  });

  it('samples request, stats, list and delete', async () => {
    const asked = await run('samples', 'request', '--target', 'group:cli', '--max', '2');
    expect(asked.out).toMatch(new RegExp(`^asked ${DEVICES} device\\(s\\): `));
    const stats = await run('samples', 'stats');
    expect(stats.code).toBe(0);
    expect(stats.out).toMatch(/accepted \d+, evicted \d+, rejected/);
    const listed = await run('samples', 'list', '--profile', 'rpi-4', '--json');
    const stored = (await call('GET', '/api/field-samples?profile=rpi-4')).json;
    expect(JSON.parse(listed.out)).toHaveLength(stored.length);
    const deleted = await run('samples', 'delete', '--profile', 'rpi-4');
    expect(deleted.out).toMatch(/^deleted \d+ sample\(s\) of rpi-4$/);
    expect((await run('samples', 'list', '--profile', 'rpi-4')).out).toBe('(none)');
    expect((await run('samples', 'request', '--target', 'group:cli', '--max', '0')).err).toMatch(
      /--max must be a whole number >= 1/,
    );
  });
});
