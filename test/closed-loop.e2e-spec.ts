import { generateKeyPairSync } from 'node:crypto';
import { loadDataset } from '@fleetprune/datasets';
import { DeviceAgent, parseShiftSpec, SampleSource } from '@fleetprune/devices';
import { serializeLayersModel } from '@fleetprune/tfjs-runtime';
import type { RunningServer } from '../apps/server/src/create-server';
import { trainFashionMlp } from '../devices/src/testing/fashion-model';
import { api, eventually, freePort, registerAgent, startServer, tempDataDir } from './helpers';

jest.setTimeout(420_000);

const DEVICES = 8;

interface AuditEvent {
  id: number;
  type: string;
  message: string;
  subject: string;
  evidence: Record<string, any>;
}

describe('closed loop: drift -> re-prune -> canary -> promote, and a worse candidate rolled back', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let mqttPort: number;
  /** (Re)starts the server on the same data and broker port, so devices reconnect to it. */
  const boot = async () => {
    server = await startServer(dataDir, {
      MQTT_PORT: String(mqttPort),
      CLOSED_LOOP_TICK_S: '0.5',
      TELEMETRY_BUCKET_S: '1',
    });
    call = api(server);
  };
  const agents: DeviceAgent[] = [];
  const samples = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 7 });

  const events = async (): Promise<AuditEvent[]> => (await call('GET', '/api/events?profile=rpi-4')).json;
  const accuracyOf = async (artifactId: string, since: number) => {
    const [row] = (
      await call('GET', `/api/telemetry/summary?groupBy=artifact&artifactId=${artifactId}&since=${since}`)
    ).json;
    return row
      ? { labelled: row.labelled as number, accuracy: row.accuracy as number }
      : { labelled: 0, accuracy: 0 };
  };
  const running = (artifactId: string) =>
    agents.filter((a) => a.state.activeArtifactId === artifactId).length;

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await server?.app.close();
  });

  it('detects the drift, re-prunes with field samples, canaries, promotes, and accuracy recovers', async () => {
    mqttPort = await freePort();
    await boot();

    // The incumbent: the dense model pruned hard for the profile by a pruning job.
    const form = new FormData();
    form.append('name', 'fmnist-mlp');
    form.append('dataset', 'fashion-mnist');
    for (const file of await serializeLayersModel(
      await trainFashionMlp(loadDataset('fashion-mnist').train, { count: 4000, epochs: 4, hidden: 64 }),
    ))
      form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
    const model = (await call('POST', '/api/models', form)).json.model;
    const job = (
      await call('POST', '/api/pruning-jobs', {
        model: model.id,
        profiles: ['rpi-4'],
        targetParams: 0.25,
        epochs: 1,
        trainLimit: 4000,
        testLimit: 300,
      })
    ).json;
    await eventually(
      async () => (await call('GET', `/api/pruning-jobs/${job.id}`)).json.status === 'succeeded',
      120_000,
    );
    const incumbent = (await call('GET', `/api/pruning-jobs/${job.id}`)).json.results[0].artifactId as string;

    for (let i = 0; i < DEVICES; i++) {
      const { agent } = await registerAgent(
        server,
        { name: `loop-${i}`, group: 'loop' },
        { samples, sampleOffset: i * 1200, inferenceIntervalMs: 15, telemetryIntervalMs: 500 },
      );
      agents.push(agent);
      await agent.start();
    }
    const first = (await call('POST', '/api/rollouts', { artifactId: incumbent, target: 'profile:rpi-4' }))
      .json;
    await eventually(
      async () => (await call('GET', `/api/rollouts/${first.id}`)).json.status === 'completed',
      60_000,
    );

    const policy = await call('PUT', '/api/drift-policies/rpi-4', {
      targetAccuracy: 0.7,
      windowS: 4,
      minSamples: 300,
      cooldownS: 3600,
      repruneRelax: 2.5,
      repruneEpochs: 1,
      repruneTrainLimit: 4000,
      repruneTestLimit: 300,
      fieldSampleShare: 0.5,
      sampleWaitS: 6,
      canaryShare: 0.25,
      canaryMinSamples: 300,
      canaryTimeoutS: 240,
    });
    expect(policy.status).toBe(200);

    // Clean inputs: the model meets its target and the monitor sees no drift.
    const cleanSince = Date.now();
    await eventually(async () => (await accuracyOf(incumbent, cleanSince)).labelled >= 600, 30_000);
    const clean = await accuracyOf(incumbent, cleanSince);
    const check = (await call('GET', '/api/drift-policies/rpi-4')).json.lastCheck;
    expect(check.skipped).toBeNull();
    expect(clean.accuracy).toBeGreaterThan(0.7);
    expect((await events()).filter((e) => e.type === 'drift_detected')).toHaveLength(0);

    // The shift: noisy sensors on every device.
    const shiftedAt = Date.now();
    samples.setShift(parseShiftSpec('noise:0.35'));
    await eventually(
      async () =>
        (await events()).some(
          (e) => e.type === 'remediation_completed' || e.type === 'rolled_back' || e.type.endsWith('failed'),
        ),
      300_000,
    );
    const trail = await events();
    console.log(trail.map((e) => `${e.type}: ${e.message}`).join('\n'));
    const decisions = trail.map((e) => e.type).filter((t) => !t.startsWith('rollout_'));
    expect(decisions).toEqual([
      'drift_detected',
      'samples_requested',
      'reprune_started',
      'canary_started',
      'promoted',
      'remediation_completed',
    ]);
    const drift = trail.find((e) => e.type === 'drift_detected')!;
    expect(drift.evidence.upperBound).toBeLessThan(0.7);
    expect(drift.evidence.labelled).toBeGreaterThanOrEqual(300);
    const promoted = trail.find((e) => e.type === 'promoted')!;
    expect(promoted.evidence.difference.lower).toBeGreaterThan(-0.02);
    const candidate = trail.find((e) => e.type === 'canary_started')!.evidence.candidateArtifactId as string;
    expect(running(candidate)).toBe(DEVICES);

    // Recovery: the whole fleet on the new model, measured on the shifted inputs.
    const recoveredSince = Date.now();
    await eventually(async () => (await accuracyOf(candidate, recoveredSince)).labelled >= 1000, 60_000);
    const during = await accuracyOf(incumbent, shiftedAt);
    const after = await accuracyOf(candidate, recoveredSince);
    console.log(
      `clean ${clean.accuracy}, drifted ${during.accuracy}, recovered ${after.accuracy}; shift to recovery ${(recoveredSince - shiftedAt) / 1000} s`,
    );
    expect(after.accuracy).toBeGreaterThan(during.accuracy + 0.05);
  });

  it('rolls back a canary that is worse than the model it would replace, across a server restart mid-canary', async () => {
    const incumbent = agents[0].state.activeArtifactId as string;
    const before = (await events()).length;
    // The operator raises the bar and (unwisely) asks for a far smaller re-pruned model.
    expect(
      (
        await call('PUT', '/api/drift-policies/rpi-4', {
          targetAccuracy: 0.95,
          windowS: 4,
          minSamples: 300,
          cooldownS: 0,
          repruneRelax: 0.1,
          repruneEpochs: 0.05,
          repruneTrainLimit: 1000,
          repruneTestLimit: 300,
          fieldSampleShare: 0,
          canaryShare: 0.25,
          canaryMinSamples: 300,
          canaryTimeoutS: 240,
        })
      ).status,
    ).toBe(200);
    // Stop the server while the canary runs; the restarted one carries on from the database.
    await eventually(
      async () => (await events()).slice(before).some((e) => e.type === 'canary_started'),
      120_000,
    );
    const remediation = (await call('GET', '/api/remediations?profile=rpi-4')).json[0];
    expect(remediation.state).toBe('canary');
    await server.app.close();
    await boot();
    await eventually(
      async () =>
        (await events()).slice(before).some((e) => e.type === 'rolled_back' || e.type.endsWith('failed')),
      240_000,
    );
    // Hold the loop still (the bar is still above what any model reaches here).
    await call('PUT', '/api/drift-policies/rpi-4', { targetAccuracy: 0.5, enabled: false });
    const fresh = (await events()).slice(before);
    const subject = fresh.find((e) => e.type === 'drift_detected')!.subject;
    const decided = fresh.findIndex((e) => e.type === 'rolled_back');
    // Resumed, not restarted: one run from drift to verdict, with one job and one canary.
    expect(fresh.slice(0, decided).filter((e) => e.type === 'drift_detected')).toHaveLength(1);
    expect(subject).toBe(`remediation:${remediation.id}`);
    const run = fresh.filter((e) => e.subject === subject);
    console.log(run.map((e) => `${e.type}: ${e.message}`).join('\n'));
    expect(run.map((e) => e.type)).toEqual([
      'drift_detected',
      'reprune_started',
      'canary_started',
      'rolled_back',
    ]);
    const verdict = run[3].evidence;
    expect(verdict.difference.upper).toBeLessThan(0);
    expect(verdict.candidate.labelled).toBeGreaterThanOrEqual(300);
    // The canary devices are back on the incumbent; the others never left it.
    await eventually(async () => running(incumbent) === DEVICES, 60_000);
    const rollout = (await call('GET', `/api/rollouts/${run[2].evidence.rolloutId}`)).json;
    expect(rollout).toMatchObject({ status: 'rolled_back', stageIndex: 0 });
  });

  it('rolls back a canary that fails to install', async () => {
    const incumbent = agents[0].state.activeArtifactId as string;
    // Devices provisioned with the wrong signing key refuse every new model.
    const wrongKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    for (let i = 0; i < agents.length; i++) {
      await agents[i].stop();
      agents[i] = new DeviceAgent({ ...agents[i].options, publicKeyPem: wrongKey });
      await agents[i].start();
    }
    // Whatever the previous policy had started is over before this one begins.
    const open = ['sampling', 'repruning', 'canary', 'promoting'];
    await eventually(
      async () =>
        (await call('GET', '/api/remediations')).json.every(
          (r: { state: string }) => !open.includes(r.state),
        ),
      60_000,
    );
    const before = (await events()).length;
    await call('PUT', '/api/drift-policies/rpi-4', {
      targetAccuracy: 0.95,
      windowS: 4,
      minSamples: 300,
      cooldownS: 0,
      repruneRelax: 1,
      repruneEpochs: 0.05,
      repruneTrainLimit: 1000,
      repruneTestLimit: 300,
      fieldSampleShare: 0,
      canaryShare: 0.25,
      canaryTimeoutS: 240,
    });
    /** The first run this policy opened, once it has ended. */
    const ended = async () => {
      const fresh = (await events()).slice(before);
      const subject = fresh.find((e) => e.type === 'drift_detected')?.subject;
      const run = fresh.filter((e) => e.subject === subject);
      return subject && run.some((e) => e.type === 'rolled_back' || e.type.endsWith('failed'))
        ? subject
        : undefined;
    };
    await eventually(async () => (await ended()) !== undefined, 240_000);
    await call('PUT', '/api/drift-policies/rpi-4', { targetAccuracy: 0.5, enabled: false });
    const subject = await ended();
    const fresh = (await events()).slice(before);
    console.log(fresh.map((e) => `${e.type} ${e.subject}: ${e.message}`).join('\n'));
    const run = fresh.filter((e) => e.subject === subject);
    expect(run.map((e) => e.type)).toEqual([
      'drift_detected',
      'reprune_started',
      'canary_started',
      'rolled_back',
    ]);
    expect(run[3].message).toMatch(/failed to install/);
    const rollout = (await call('GET', `/api/rollouts/${run[2].evidence.rolloutId}`)).json;
    expect(rollout.status).toBe('rolled_back');
    const canary = (await call('GET', `/api/deployments/${rollout.deploymentIds[0]}`)).json;
    expect(canary.sessions.map((s: { reason: string }) => s.reason)).toContain('SIGNATURE_INVALID');
    // Nothing to put back: the devices kept their model throughout.
    expect(running(incumbent)).toBe(DEVICES);
  });
});
