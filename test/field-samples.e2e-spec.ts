import { rmSync } from 'node:fs';
import { loadFashionMnist, take } from '@fleetprune/datasets';
import { DeviceAgent, SampleSource } from '@fleetprune/devices';
import { channelTopic, encodeFieldSamples } from '@fleetprune/protocol';
import { connectAsync } from 'mqtt';
import type { RunningServer } from '../apps/server/src/create-server';
import { FieldSamplesService } from '../apps/server/src/field-samples/field-samples.service';
import { trainFashionModel } from '../devices/src/testing/fashion-model';
import { api, eventually, registerAgent, startServer, tempDataDir } from './helpers';
import { cli } from './support/cli-runner';

jest.setTimeout(90_000);

const PER_DEVICE = 20;
const PER_PROFILE = 30;
const UPLOAD = 16;

describe('field samples (server + embedded broker + simulated Fashion-MNIST cameras)', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;
  let call: ReturnType<typeof api>;
  let artifactId: string;
  const source = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 3 });
  const cams: { id: string; agent: DeviceAgent; offset: number; n: number }[] = [];

  /** Sample index `k` (0 = oldest) of the newest UPLOAD samples camera `cam` ran. */
  const uploaded = (cam: (typeof cams)[number], k: number) => source.at(cam.offset + cam.n - UPLOAD + k);
  const stats = async () => (await call('GET', '/api/field-samples/stats')).json;

  beforeAll(async () => {
    server = await startServer(dataDir, {
      FIELD_SAMPLES_MAX_PER_DEVICE: String(PER_DEVICE),
      FIELD_SAMPLES_MAX_PER_PROFILE: String(PER_PROFILE),
    });
    call = api(server);
    const model = await trainFashionModel(take(loadFashionMnist().train, 300), 300, 1);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(model.tflite)]), 'fmnist.tflite');
    form.append('modelVersion', 'fmnist-1');
    artifactId = (await call('POST', '/api/artifacts', form)).json.id;
    for (const [name, offset] of [
      ['cam-a', 0],
      ['cam-b', 5000],
    ] as const) {
      const { id, agent } = await registerAgent(
        server,
        { name, group: 'cams' },
        { samples: source, sampleOffset: offset, inferenceIntervalMs: 5 },
      );
      await agent.start();
      cams.push({ id, agent, offset, n: 0 });
    }
    const activated = cams.map((c) => c.agent.events.waitFor('activated', () => true, 30_000));
    const deployed = await call('POST', '/api/deployments', { artifactId, target: 'group:cams' });
    expect(deployed.status).toBe(201);
    await Promise.all(activated);
    // The inference loop runs until each camera has more than the 32 recent inferences it keeps.
    await eventually(async () => cams.every((c) => c.agent.counters.inferences >= 40), 30_000);
    for (const cam of cams) {
      cam.agent.setInferenceInterval(0);
      cam.n = cam.agent.counters.inferences;
    }
    await eventually(async () =>
      (await call('GET', '/api/devices?group=cams')).json.items.every(
        (d: { activeArtifactId: string }) => d.activeArtifactId === artifactId,
      ),
    );
  });

  afterAll(async () => {
    for (const cam of cams) await cam.agent.stop();
    await server?.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks a device for samples and stores them with their labels and bytes', async () => {
    const [a] = cams;
    const asked = await call('POST', '/api/field-samples/request', { target: `device:${a.id}`, max: UPLOAD });
    expect(asked).toMatchObject({ status: 202, json: { asked: 1, deviceIds: [a.id] } });
    await eventually(async () => (await stats()).accepted === UPLOAD);

    const rows = (await call('GET', `/api/field-samples?deviceId=${a.id}`)).json;
    expect(rows).toHaveLength(UPLOAD);
    expect(rows[0]).not.toHaveProperty('data');
    // The agent sends its newest inference first; listed newest row first, i.e. oldest sample first.
    rows.forEach((row: Record<string, unknown>, k: number) =>
      expect(row).toMatchObject({
        deviceId: a.id,
        profile: 'rpi-4',
        artifactId,
        modelVersion: 'fmnist-1',
        label: uploaded(a, k).label,
        shape: [28, 28, 1],
        dtype: 'uint8',
        bytes: 784,
      }),
    );
    const set = await server.app.get(FieldSamplesService).labelledImageSet('rpi-4');
    expect(set).toMatchObject({ count: UPLOAD, height: 28, width: 28, channels: 1 });
    for (let k = 0; k < UPLOAD; k++) {
      expect(Buffer.from(set!.images.subarray(k * 784, (k + 1) * 784)).equals(uploaded(a, k).pixels)).toBe(
        true,
      );
      expect(set!.labels[k]).toBe(uploaded(a, k).label);
    }
    const s = await stats();
    const misclassified = rows.filter(
      (r: { label: number; predicted: number }) => r.label !== r.predicted,
    ).length;
    expect(s.profiles).toEqual([{ profile: 'rpi-4', count: UPLOAD, labelled: UPLOAD, misclassified }]);
  });

  it('keeps at most the per-device and per-profile bounds, evicting the oldest', async () => {
    const [a, b] = cams;
    const firstIds = (await call('GET', `/api/field-samples?deviceId=${a.id}`)).json.map(
      (r: { id: number }) => r.id,
    );
    await call('POST', '/api/field-samples/request', { target: `device:${a.id}`, max: UPLOAD });
    await eventually(async () => (await stats()).accepted === 2 * UPLOAD);
    const afterA = (await call('GET', `/api/field-samples?deviceId=${a.id}`)).json;
    expect(afterA).toHaveLength(PER_DEVICE);
    // The newest 20: all of the second upload and the 4 newest rows of the first.
    expect(afterA.slice(UPLOAD).map((r: { id: number }) => r.id)).toEqual(
      firstIds.slice(0, PER_DEVICE - UPLOAD),
    );

    const asked = await call('POST', '/api/field-samples/request', { target: 'group:cams', max: 1 });
    expect(asked.json.asked).toBe(2); // the group answers; only b's upload is awaited below
    await eventually(async () => (await stats()).accepted === 2 * UPLOAD + 2);
    await call('POST', '/api/field-samples/request', { target: `device:${b.id}`, max: UPLOAD });
    await eventually(async () => (await stats()).accepted === 3 * UPLOAD + 2);
    const s = await stats();
    expect(s.profiles[0]).toMatchObject({ profile: 'rpi-4', count: PER_PROFILE, labelled: PER_PROFILE });
    expect(s.evicted).toBe(3 * UPLOAD + 2 - PER_PROFILE);
    const all = (await call('GET', '/api/field-samples?profile=rpi-4&labelledOnly=true')).json;
    expect(all).toHaveLength(PER_PROFILE);
    expect(all.filter((r: { deviceId: string }) => r.deviceId === b.id)).toHaveLength(UPLOAD + 1);
    expect(all.filter((r: { deviceId: string }) => r.deviceId === a.id)).toHaveLength(
      PER_PROFILE - UPLOAD - 1,
    );
    const ids = all.map((r: { id: number }) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
  });

  it('refuses bad payloads and samples of a model the device does not run, and counts them', async () => {
    const registered = (await call('POST', '/api/devices', { name: 'bare', profile: 'rpi-4' })).json;
    const client = await connectAsync(server.mqttUrl, {
      clientId: registered.id,
      username: registered.id,
      password: registered.mqtt.password,
      reconnectPeriod: 0,
    });
    try {
      const topic = channelTopic(registered.id, 'samples');
      const item = {
        label: 1,
        predicted: 1,
        confidence: 0.9,
        shape: [28, 28, 1],
        dtype: 'uint8' as const,
        data: Buffer.from(new Uint8Array(784).fill(9)).toString('base64'),
        capturedAt: Date.now(),
      };
      const message = { v: 1 as const, seq: 1, artifactId, modelVersion: 'fmnist-1', items: [item] };
      const before = await stats();
      // Wrong data length for its shape, not JSON at all, and a valid message of a model it does not run.
      await client.publishAsync(
        topic,
        JSON.stringify({ ...message, items: [{ ...item, data: Buffer.alloc(10).toString('base64') }] }),
        { qos: 1 },
      );
      await client.publishAsync(topic, 'not json', { qos: 1 });
      await client.publishAsync(topic, encodeFieldSamples(message), { qos: 1 });
      await eventually(async () => (await stats()).rejected.UNKNOWN_ARTIFACT === 1);
      const after = await stats();
      expect(after.rejected.INVALID_MESSAGE).toBe((before.rejected.INVALID_MESSAGE ?? 0) + 2);
      expect(after.accepted).toBe(before.accepted);
      expect(after.profiles).toEqual(before.profiles);
    } finally {
      await client.endAsync(true);
    }
    expect((await call('POST', '/api/field-samples/request', { target: 'everyone' })).status).toBe(400);
    expect((await call('POST', '/api/field-samples/request', { target: 'tag:none', max: 99 })).status).toBe(
      400,
    );
    expect((await call('POST', '/api/field-samples/request', { target: 'tag:none' })).json.asked).toBe(0);
  });

  it('hands re-pruning the stored pixels newest first, bounded by max and since; deletes per profile', async () => {
    const service = server.app.get(FieldSamplesService);
    const [a, b] = cams;
    const set = (await service.labelledImageSet('rpi-4'))!;
    expect(set.count).toBe(PER_PROFILE);
    // Newest first: b's upload of 16; the single newest sample of a and of b (in either order:
    // one group request); then a's second upload without the rows the bounds evicted.
    const newest = (cam: (typeof cams)[number]) => source.at(cam.offset + cam.n - 1);
    const image = (k: number) => Buffer.from(set.images.subarray(k * 784, (k + 1) * 784));
    const expected = [
      ...Array.from({ length: UPLOAD }, (_, k) => uploaded(b, k)),
      ...(image(UPLOAD).equals(newest(a).pixels) ? [newest(a), newest(b)] : [newest(b), newest(a)]),
      ...Array.from({ length: PER_PROFILE - UPLOAD - 2 }, (_, k) => uploaded(a, k)),
    ];
    expected.forEach((sample, k) => {
      expect(image(k).equals(sample.pixels)).toBe(true);
      expect(set.labels[k]).toBe(sample.label);
    });
    const five = (await service.labelledImageSet('rpi-4', { max: 5 }))!;
    expect(five.count).toBe(5);
    expect(Buffer.from(five.images).equals(set.images.subarray(0, 5 * 784))).toBe(true);
    expect(await service.labelledImageSet('rpi-4', { since: Date.now() + 60_000 })).toBeUndefined();
    expect(await service.labelledImageSet('esp32')).toBeUndefined();

    expect((await call('DELETE', '/api/field-samples')).status).toBe(400);
    expect((await call('DELETE', '/api/field-samples?profile=rpi-4')).json).toEqual({ deleted: PER_PROFILE });
    expect((await stats()).profiles).toEqual([]);
    expect(await service.labelledImageSet('rpi-4')).toBeUndefined();
    expect((await api(server, null)('GET', '/api/field-samples')).status).toBe(401);
  });

  it('fleetprune sim --shift-at/--shift stages the shift and says when it began', async () => {
    const simDir = tempDataDir('fleetprune-sim-');
    const run = await cli(
      'sim',
      '--devices',
      '2',
      '--profile',
      'esp32',
      '--duration',
      '1.5',
      '--inference-ms',
      '0',
      '--shift-at',
      '0.4',
      '--shift',
      'classes:6,2,4@0.8',
      '--data-dir',
      simDir,
      '--server',
      server.httpUrl,
      '--token',
      server.token,
    );
    rmSync(simDir, { recursive: true, force: true });
    expect(run.code).toBe(0);
    const line = /shift classes:6,2,4@0\.8 began (\d+\.\d) s after start/.exec(run.out);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBeGreaterThanOrEqual(0.4);
    expect(Number(line![1])).toBeLessThan(1.5);
  });
});
