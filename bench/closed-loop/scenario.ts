// One closed-loop run against an in-process server: train, prune, deploy, shift, and time
// every decision until the fleet runs a recovered model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@fleetprune/datasets';
import { FleetSimulator, parseShiftSpec, SampleSource } from '@fleetprune/devices';
import { builtinDeviceProfile, DeviceProfileSpec } from '@fleetprune/tflite';
import { serializeLayersModel } from '@fleetprune/tfjs-runtime';
import { loadAppConfig } from '../../apps/server/src/config/app-config';
import { createServer, RunningServer } from '../../apps/server/src/create-server';
import { trainFashionMlp } from '../../devices/src/testing/fashion-model';

/** Knobs of one run. */
export interface ScenarioOptions {
  devices: number;
  shift: string;
  targetAccuracy: number;
  inferenceMs: number;
  log(line: string): void;
}

/** A decision as GET /api/events returned it, timed from the shift. */
export interface TimedEvent {
  type: string;
  message: string;
  atS: number;
}

/** Field accuracy of the profile per 2 s bucket, timed from the shift. */
export interface AccuracyPoint {
  atS: number;
  accuracy: number;
  labelled: number;
}

export interface ScenarioResult {
  events: TimedEvent[];
  series: AccuracyPoint[];
  clean: number;
  drifted: number;
  recovered: number;
  /** Shift to every device on the promoted model. */
  recoveryS: number;
  /** Shift to the first 2 s bucket back at or above target. */
  backAboveTargetS: number | undefined;
  pruneJobS: number;
}

const PROFILE = 'rpi-4';

/** Runs the scenario; throws if the loop does not complete within `budgetS`. */
export async function runClosedLoopScenario(o: ScenarioOptions, budgetS = 600): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetprune-bench-loop-'));
  const server = await createServer(
    loadAppConfig({
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      MQTT_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CLOSED_LOOP_TICK_S: '1',
      TELEMETRY_BUCKET_S: '1',
    }),
  );
  const call = client(server);
  const samples = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 7 });
  let fleet: FleetSimulator | undefined;
  try {
    o.log('training the dense model (784-64-10 MLP, 4,000 images, 4 epochs)');
    const form = new FormData();
    form.append('name', 'fmnist-mlp');
    form.append('dataset', 'fashion-mnist');
    const dense = await trainFashionMlp(loadDataset('fashion-mnist').train, {
      count: 4000,
      epochs: 4,
      hidden: 64,
    });
    for (const file of await serializeLayersModel(dense))
      form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
    const model = (await call('POST', '/api/models', form)).model as { id: string };
    o.log('pruning the incumbent (25% of the parameters)');
    const job = await call('POST', '/api/pruning-jobs', {
      model: model.id,
      profiles: [PROFILE],
      targetParams: 0.25,
      epochs: 1,
      trainLimit: 4000,
      testLimit: 300,
    });
    const incumbent = (await until(call, `/api/pruning-jobs/${job.id}`, (j) => j.status === 'succeeded', 300))
      .results[0].artifactId as string;

    o.log(`registering and starting ${o.devices} simulated ${PROFILE} devices`);
    const specs = [];
    for (let i = 0; i < o.devices; i++) {
      const r = await call('POST', '/api/devices', { name: `bench-${i}`, profile: PROFILE });
      specs.push({ deviceId: r.id as string, password: r.mqtt.password as string });
    }
    const provisioning = await call('GET', '/api/ota/provisioning');
    fleet = new FleetSimulator({
      mqttUrl: provisioning.mqttUrl,
      publicKeyPem: provisioning.publicKeyPem,
      devices: specs,
      profile: builtinDeviceProfile(PROFILE) as DeviceProfileSpec,
      personality: 'rpi',
      stateDir: join(dataDir, 'devices'),
      samples,
      inferenceIntervalMs: o.inferenceMs,
      telemetryIntervalMs: 1000,
    });
    await fleet.start();
    const first = await call('POST', '/api/rollouts', {
      artifactId: incumbent,
      target: `profile:${PROFILE}`,
    });
    await until(call, `/api/rollouts/${first.id}`, (r) => r.status === 'completed', 120);
    await call('PUT', `/api/drift-policies/${PROFILE}`, {
      targetAccuracy: o.targetAccuracy,
      windowS: 5,
      minSamples: 500,
      cooldownS: 3600,
      repruneRelax: 2.5,
      repruneEpochs: 1,
      repruneTrainLimit: 4000,
      repruneTestLimit: 300,
      fieldSampleShare: 0.5,
      sampleWaitS: 6,
      canaryShare: 0.25,
      canaryMinSamples: 500,
      canaryTimeoutS: 300,
    });
    const cleanFrom = Date.now();
    await sleep(8000);
    const clean = await accuracy(call, incumbent, cleanFrom);

    o.log(`shift ${o.shift}`);
    const shiftedAt = Date.now();
    fleet.setShift(parseShiftSpec(o.shift, { classCount: 10 }));
    const done = await until(
      call,
      `/api/events?profile=${PROFILE}`,
      (events: { type: string }[]) =>
        events.some((e) =>
          ['remediation_completed', 'rolled_back', 'remediation_failed', 'reprune_failed'].includes(e.type),
        ),
      budgetS,
    );
    const recoveredAt = Date.now();
    await sleep(10_000);
    const events: TimedEvent[] = (done as { type: string; message: string; at: number }[])
      .filter((e) => e.at >= shiftedAt)
      .map((e) => ({ type: e.type, message: e.message, atS: (e.at - shiftedAt) / 1000 }));
    const candidate = (done as { type: string; evidence: Record<string, unknown> }[]).find(
      (e) => e.type === 'canary_started',
    )?.evidence.candidateArtifactId as string | undefined;
    const series = await accuracySeries(call, cleanFrom, shiftedAt);
    const jobs = (await call('GET', '/api/pruning-jobs')) as { startedAt: string; finishedAt: string }[];
    const reprune = jobs[0];
    return {
      events,
      series,
      clean,
      drifted: await accuracy(call, incumbent, shiftedAt),
      recovered: candidate ? await accuracy(call, candidate, recoveredAt) : NaN,
      recoveryS: (recoveredAt - shiftedAt) / 1000,
      backAboveTargetS: series.find((p) => p.atS > 0 && p.labelled > 0 && p.accuracy >= o.targetAccuracy)
        ?.atS,
      pruneJobS: (Date.parse(reprune.finishedAt) - Date.parse(reprune.startedAt)) / 1000,
    };
  } finally {
    await fleet?.stop();
    await server.app.close();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API answers of many shapes, read field by field
type Json = any;
type Call = (method: string, path: string, body?: unknown) => Promise<Json>;

function client(server: RunningServer): Call {
  return async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${server.token}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${server.httpUrl}${path}`, { method, headers, body: payload });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
}

async function until(
  call: Call,
  path: string,
  done: (value: Json) => boolean,
  budgetS: number,
): Promise<Json> {
  const deadline = Date.now() + budgetS * 1000;
  for (;;) {
    const value = await call('GET', path);
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${path} did not reach its state within ${budgetS} s`);
    await sleep(250);
  }
}

async function accuracy(call: Call, artifactId: string, since: number): Promise<number> {
  const [row] = await call(
    'GET',
    `/api/telemetry/summary?groupBy=artifact&artifactId=${artifactId}&since=${since}`,
  );
  return row?.accuracy ?? NaN;
}

async function accuracySeries(call: Call, since: number, zero: number): Promise<AccuracyPoint[]> {
  const rows = (await call(
    'GET',
    `/api/telemetry/rollups?groupBy=profile&profile=${PROFILE}&bucketS=2&since=${since}&limit=10000`,
  )) as { bucketStart: number; accuracy: number | null; labelled: number }[];
  return rows
    .filter((r) => r.accuracy !== null)
    .map((r) => ({
      atS: (r.bucketStart - zero) / 1000,
      accuracy: r.accuracy as number,
      labelled: r.labelled,
    }));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
