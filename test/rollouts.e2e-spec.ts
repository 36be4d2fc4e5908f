import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceAgent } from '@fleetprune/devices';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, registerAgent, startServer, tempDataDir } from './helpers';

jest.setTimeout(90_000);

const TESTDATA = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite');

describe('staged rollouts (stages, gate, pause, resume, abort, rollback) on real devices', () => {
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  const agents: { id: string; agent: DeviceAgent }[] = [];
  const artifacts: Record<string, string> = {};

  const upload = async (file: string, modelVersion: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(join(TESTDATA, file)))]), file);
    form.append('modelVersion', modelVersion);
    const answer = await call('POST', '/api/artifacts', form);
    expect(answer.status).toBe(201);
    return answer.json.id;
  };
  /** Devices per active artifact, as the devices themselves report it. */
  const running = (artifactId: string) =>
    agents.filter((a) => a.agent.state.activeArtifactId === artifactId).length;
  const rollout = async (id: string) => (await call('GET', `/api/rollouts/${id}`)).json;

  beforeAll(async () => {
    server = await startServer(tempDataDir(), { CLOSED_LOOP_TICK_S: '0.2' });
    call = api(server);
    for (let i = 0; i < 5; i++) {
      const registered = await registerAgent(server, { name: `stage-${i}`, group: 'staged' });
      agents.push(registered);
      await registered.agent.start();
    }
    artifacts.hello = await upload('hello_world_int8.tflite', 'hello-1');
    artifacts.person = await upload('person_detect.tflite', 'person-1');
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.agent.stop()));
    await server?.app.close();
  });

  it('refuses bad stages and unknown artifacts with the reason', async () => {
    const bad = await call('POST', '/api/rollouts', {
      artifactId: artifacts.hello,
      target: 'group:staged',
      stages: [50, 40],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/must increase/);
    const short = await call('POST', '/api/rollouts', {
      artifactId: artifacts.hello,
      target: 'group:staged',
      stages: [50],
    });
    expect(short.json.message).toMatch(/last stage must be 100/);
    const none = await call('POST', '/api/rollouts', { artifactId: artifacts.hello, target: 'group:nobody' });
    expect(none.json.message).toMatch(/matches no device/);
    expect(
      (
        await call('POST', '/api/rollouts', {
          artifactId: '6f1c1f8e-8d55-4a43-9a43-3c1c6f0f2b11',
          target: 'group:staged',
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', '/api/rollouts')).json).toHaveLength(0);
  });

  it('rolls out in one stage, then in gated stages that wait for resume', async () => {
    const first = (
      await call('POST', '/api/rollouts', { artifactId: artifacts.hello, target: 'group:staged' })
    ).json;
    await eventually(async () => (await rollout(first.id)).status === 'completed', 30_000);
    expect(running(artifacts.hello)).toBe(5);

    const staged = (
      await call('POST', '/api/rollouts', {
        artifactId: artifacts.person,
        target: 'group:staged',
        stages: [20, 60, 100],
        autoAdvance: false,
      })
    ).json;
    expect(staged.stageDevices).toEqual([1]);
    await eventually(async () => (await rollout(staged.id)).awaitingAdvance === true, 30_000);
    expect(running(artifacts.person)).toBe(1);
    // The gate holds: nothing more happens until someone resumes.
    await new Promise((r) => setTimeout(r, 600));
    expect(running(artifacts.person)).toBe(1);

    const second = (await call('POST', `/api/rollouts/${staged.id}/resume`, { reason: 'stage 1 looks fine' }))
      .json;
    expect(second.stageIndex).toBe(1);
    expect(second.stageDevices).toEqual([1, 3]);
    await eventually(async () => (await rollout(staged.id)).awaitingAdvance === true, 30_000);
    expect(running(artifacts.person)).toBe(3);

    const paused = (await call('POST', `/api/rollouts/${staged.id}/pause`, {})).json;
    expect(paused.status).toBe('paused');
    expect((await call('POST', `/api/rollouts/${staged.id}/pause`, {})).status).toBe(409);
    await call('POST', `/api/rollouts/${staged.id}/resume`, {});
    await eventually(async () => (await rollout(staged.id)).status === 'completed', 30_000);
    expect(running(artifacts.person)).toBe(5);

    const events = (await call('GET', `/api/events?subject=rollout:${staged.id}`)).json;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'rollout_started',
      'rollout_stage_started',
      'rollout_stage_started',
      'rollout_paused',
      'rollout_resumed',
      'rollout_stage_started',
      'rollout_completed',
    ]);
    expect(events[2].message).toMatch(/stage 1 looks fine/);
    expect(events[0].evidence).toMatchObject({ devices: 5, stages: [20, 60, 100] });

    // Rollback puts back what each device ran before this rollout.
    const back = (await call('POST', `/api/rollouts/${staged.id}/rollback`, { reason: 'field reports' }))
      .json;
    expect(back.status).toBe('rolled_back');
    expect(back.rollbackDeploymentIds).toHaveLength(1);
    await eventually(async () => running(artifacts.hello) === 5, 30_000);
    expect((await call('POST', `/api/rollouts/${staged.id}/rollback`, {})).status).toBe(409);
  });

  it('pauses new offers mid-stage and aborts, leaving devices on what they have', async () => {
    const slow = (
      await call('POST', '/api/rollouts', {
        artifactId: artifacts.person,
        target: 'group:staged',
        stages: [100],
        maxConcurrent: 1,
      })
    ).json;
    await call('POST', `/api/rollouts/${slow.id}/pause`, {});
    // How many devices were offered before the pause took hold depends on the machine's speed
    // (one may finish and the next be offered before the request lands); none may be offered after.
    const sessionStates = async (): Promise<string[]> => {
      const deployment = (await call('GET', `/api/deployments/${slow.deploymentIds[0]}`)).json;
      expect(deployment.paused).toBe(true);
      return deployment.sessions.map((s: { state: string }) => s.state);
    };
    const offered = async () => (await sessionStates()).filter((s) => s !== 'pending').length;
    await new Promise((r) => setTimeout(r, 300));
    const offeredAtPause = await offered();
    expect(offeredAtPause).toBeLessThan(5);
    // The downloads already offered finish; the rest wait.
    const inFlight = ['offered', 'downloading', 'verifying'];
    await eventually(async () => !(await sessionStates()).some((s) => inFlight.includes(s)), 30_000);
    const whilePaused = running(artifacts.person);
    expect(whilePaused).toBeLessThanOrEqual(offeredAtPause);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await offered()).toBe(offeredAtPause);
    expect(running(artifacts.person)).toBe(whilePaused);

    await call('POST', `/api/rollouts/${slow.id}/resume`, {});
    await eventually(async () => running(artifacts.person) >= whilePaused + 1, 30_000);
    const aborted = (await call('POST', `/api/rollouts/${slow.id}/abort`, { reason: 'enough' })).json;
    expect(aborted.status).toBe('aborted');
    await eventually(
      async () =>
        (await call('GET', `/api/deployments/${slow.deploymentIds[0]}`)).json.status === 'cancelled',
    );
    // A device that already had every byte may still activate; after that nothing changes.
    await eventually(async () => agents.every((a) => !a.agent.state.downloading));
    await new Promise((r) => setTimeout(r, 300));
    const after = running(artifacts.person);
    await new Promise((r) => setTimeout(r, 800));
    expect(running(artifacts.person)).toBe(after);
    expect(running(artifacts.person) + running(artifacts.hello)).toBe(5);
  });
});
