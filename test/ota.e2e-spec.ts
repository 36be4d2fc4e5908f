import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChunkAssembler,
  channelTopic,
  deviceSubscriptions,
  encodeOtaChunkRequest,
  encodeOtaResult,
  encodeStatus,
  isOfferWithdrawal,
  OtaOffer,
  parseOtaOffer,
  statusWill,
  verifyArtifact,
} from '@fleetprune/protocol';
import { connectAsync, MqttClient } from 'mqtt';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, startServer, tempDataDir } from './helpers';

jest.setTimeout(60_000);

const TESTDATA = join(__dirname, '..', '..', 'shared', 'testdata', 'tflite');
const PERSON = readFileSync(join(TESTDATA, 'person_detect.tflite'));

/** A device written straight from docs/protocol.md, independent of devices/. */
async function bareDevice(
  url: string,
  creds: { username: string; password: string },
  publicKeyPem: string,
): Promise<{ client: MqttClient; offers: OtaOffer[]; withdrawals: () => number; done: Promise<boolean> }> {
  const id = creds.username;
  const client = await connectAsync(url, {
    ...creds,
    clientId: id,
    will: statusWill(id),
    reconnectPeriod: 0,
  });
  const offers: OtaOffer[] = [];
  let withdrawals = 0;
  let assembler: ChunkAssembler | undefined;
  let resolveDone!: (ok: boolean) => void;
  const done = new Promise<boolean>((r) => (resolveDone = r));
  const pull = () => {
    for (const r of assembler?.requests() ?? [])
      client.publish(channelTopic(id, 'ota/request'), encodeOtaChunkRequest(r), { qos: 1 });
  };
  client.on('message', (topic, payload) => {
    if (topic.endsWith('/ota/offer')) {
      if (isOfferWithdrawal(payload)) return void withdrawals++;
      const offer = parseOtaOffer(payload);
      offers.push(offer);
      assembler = new ChunkAssembler(offer);
      pull();
    } else if (topic.endsWith('/ota/chunk') && assembler) {
      const accepted = assembler.accept(payload);
      if (accepted.accepted && accepted.complete) {
        const offer = offers[offers.length - 1];
        const ok = verifyArtifact(assembler.finish(), offer.signature, publicKeyPem);
        client.publish(
          channelTopic(id, 'ota/result'),
          encodeOtaResult({
            v: 1,
            session: offer.session,
            deploymentId: offer.deploymentId,
            artifactId: offer.artifactId,
            outcome: ok ? 'activated' : 'failed',
            reason: ok ? undefined : 'SIGNATURE_INVALID',
          }),
          { qos: 1 },
        );
        resolveDone(ok);
      } else pull();
    }
  });
  await client.subscribeAsync(
    Object.fromEntries(deviceSubscriptions(id).map((s) => [s.filter, { qos: s.qos }])),
  );
  await client.publishAsync(
    channelTopic(id, 'status'),
    encodeStatus({ v: 1, state: 'online', profile: 'rpi-4' }),
    {
      qos: 1,
      retain: true,
    },
  );
  return { client, offers, withdrawals: () => withdrawals, done };
}

describe('OTA deployments (server + embedded broker + a bare protocol device)', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    server = await startServer(dataDir, { OTA_SESSION_TIMEOUT_S: '5' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server?.app.close();
  });

  it('uploads a .tflite, signs it, deploys it to a device that downloads, verifies and activates it', async () => {
    const call = api(server);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PERSON)]), 'person_detect.tflite');
    form.append('modelVersion', 'person-1');
    const uploaded = await call('POST', '/api/artifacts', form);
    expect(uploaded.status).toBe(201);
    expect(uploaded.json.metadata).toMatchObject({
      modelVersion: 'person-1',
      signatureAlg: 'ecdsa-p256-sha256',
    });
    const provisioning = (await call('GET', '/api/ota/provisioning')).json;
    expect(verifyArtifact(PERSON, uploaded.json.metadata.signature, provisioning.publicKeyPem)).toBe(true);

    // Bad input is refused with a reason and leaves nothing behind.
    const garbage = new FormData();
    garbage.append('file', new Blob([new Uint8Array(4096).fill(7)]), 'garbage.tflite');
    const refused = await call('POST', '/api/artifacts', garbage);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/CORRUPT_FILE|INVALID_MODEL/);
    const badVersion = new FormData();
    badVersion.append('file', new Blob([new Uint8Array(PERSON)]), 'p.tflite');
    badVersion.append('modelVersion', 'has spaces');
    expect((await call('POST', '/api/artifacts', badVersion)).status).toBe(400);
    expect((await call('GET', '/api/artifacts?kind=tflite')).json).toHaveLength(1);
    const badTarget = await call('POST', '/api/deployments', {
      artifactId: uploaded.json.id,
      target: 'everyone',
    });
    expect(badTarget.status).toBe(400);
    expect(JSON.stringify(badTarget.json.message)).toMatch(/device:<id>, group:<name>/);

    const registered = await call('POST', '/api/devices', { name: 'pi-1', profile: 'rpi-4' });
    // A profile with too little flash and RAM and no SOFTMAX: the deployment is refused whole.
    const tiny = await call('POST', '/api/profiles', {
      name: 'tiny-mcu',
      flashBytes: 200_000,
      ramBytes: 64_000,
      clockMhz: 80,
      macsPerSecond: 1e6,
      latencyBudgetMs: 1000,
      supportedOps: ['CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'RESHAPE'],
    });
    expect(tiny.status).toBe(201);
    await call('POST', '/api/devices', { name: 'tiny-1', profile: 'tiny-mcu', group: 'mixed' });
    await call('PATCH', `/api/devices/${registered.json.id}`, { group: 'mixed' });
    const unfit = await call('POST', '/api/deployments', {
      artifactId: uploaded.json.id,
      target: 'group:mixed',
    });
    expect(unfit.status).toBe(400);
    expect(unfit.json.message).toMatch(
      /does not fit tiny-mcu \(1 device\(s\)\): flash: .*; RAM: .*; ops: tiny-mcu lacks SOFTMAX/,
    );
    expect(unfit.json.unfit).toEqual([expect.objectContaining({ profile: 'tiny-mcu', devices: 1 })]);
    const nobody = await call('POST', '/api/deployments', {
      artifactId: uploaded.json.id,
      target: 'tag:none',
    });
    expect(nobody.json.message).toMatch(/matches no device/);

    const device = await bareDevice(provisioning.mqttUrl, registered.json.mqtt, provisioning.publicKeyPem);
    clients.push(device.client);
    const created = await call('POST', '/api/deployments', {
      artifactId: uploaded.json.id,
      target: `device:${registered.json.id}`,
      chunkSize: 4096,
    });
    expect(created.status).toBe(201);
    expect(await device.done).toBe(true);
    await eventually(
      async () => (await call('GET', `/api/deployments/${created.json.id}`)).json.status === 'completed',
    );
    const shown = (await call('GET', `/api/deployments/${created.json.id}`)).json;
    expect(shown.sessions).toEqual([
      expect.objectContaining({ state: 'activated', attempts: 1, percent: 100 }),
    ]);
    expect((await call('GET', `/api/devices/${registered.json.id}`)).json.activeArtifactId).toBe(
      uploaded.json.id,
    );

    // The offer is no longer retained, and the device, which reported the result itself, was
    // not sent a withdrawal: the embedded broker clears the retained offer quietly.
    await device.client.endAsync();
    const again = await connectAsync(provisioning.mqttUrl, {
      ...registered.json.mqtt,
      clientId: registered.json.mqtt.username,
      reconnectPeriod: 0,
    });
    clients.push(again);
    const redelivered: Buffer[] = [];
    again.on('message', (topic, payload) => {
      if (topic.endsWith('/ota/offer')) redelivered.push(payload);
    });
    await again.subscribeAsync(channelTopic(registered.json.mqtt.username, 'ota/offer'), { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(redelivered).toEqual([]);
    expect(device.withdrawals()).toBe(0);
  });
});
