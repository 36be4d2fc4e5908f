import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { serializeLayersModel } from '@fleetprune/tfjs-runtime';
import { deviceTopic } from '@fleetprune/protocol';
import { connectAsync, MqttClient } from 'mqtt';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, startServer, tempDataDir } from './helpers';

jest.setTimeout(60_000);

async function tinyModelForm(name: string, corruptWeights = false): Promise<FormData> {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' }));
  const form = new FormData();
  form.append('name', name);
  for (const file of await serializeLayersModel(model)) {
    const bytes = corruptWeights && file.name === 'weights.bin' ? file.bytes.subarray(0, 7) : file.bytes;
    form.append('files', new Blob([new Uint8Array(bytes)]), file.name);
  }
  return form;
}

function mqttOptions(credentials: { username: string; password: string }) {
  return { ...credentials, clientId: credentials.username, reconnectPeriod: 0, connectTimeout: 5000 };
}

describe('fleet server (HTTP + SQLite + embedded MQTT)', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;
  const clients: MqttClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server?.app.close();
  });

  it('serves health and refuses calls without the operator token', async () => {
    server = await startServer(dataDir);
    const health = await api(server, null)('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      status: 'ok',
      database: { up: true, type: 'sqlite' },
      broker: { up: true, embedded: true },
    });
    expect((await api(server, null)('GET', '/api/devices')).status).toBe(401);
    expect((await api(server, 'wrong-token-wrong-token')('GET', '/api/devices')).status).toBe(401);
    expect((await api(server)('GET', '/api/docs-json')).json.paths).toHaveProperty('/api/devices');
  });

  it('validates device registration', async () => {
    const call = api(server);
    const missing = await call('POST', '/api/devices', { name: 'x', tags: ['ok', 'bad tag'], extra: 1 });
    expect(missing.status).toBe(400);
    const messages = (missing.json.message as string[]).join('\n');
    expect(messages).toMatch(/profile/);
    expect(messages).toMatch(/each tag/);
    expect(messages).toMatch(/extra should not exist/);
    expect((await call('POST', '/api/devices', { name: 'x', profile: 'no-such-profile' })).status).toBe(404);
    expect((await call('GET', `/api/devices/${randomUUID()}`)).status).toBe(404);
    expect((await call('GET', '/api/devices/not-a-uuid')).status).toBe(400);
  });

  let deviceA: { id: string; mqtt: { username: string; password: string } };
  let deviceB: { id: string; mqtt: { username: string; password: string } };

  it('registers devices, answers credentials once, filters by profile, group and tag', async () => {
    const call = api(server);
    const a = await call('POST', '/api/devices', {
      name: 'cam-a',
      profile: 'esp32',
      group: 'greenhouse',
      tags: ['north'],
    });
    expect(a.status).toBe(201);
    expect(a.json.mqtt.username).toBe(a.json.id);
    expect(a.json.mqtt.password.length).toBeGreaterThan(30);
    deviceA = a.json;
    const b = await call('POST', '/api/devices', { name: 'pi-b', profile: 'rpi-4', tags: ['south'] });
    deviceB = b.json;
    expect((await call('POST', '/api/devices', { name: 'cam-a', profile: 'esp32' })).status).toBe(409);

    const shown = await call('GET', `/api/devices/${deviceA.id}`);
    expect(shown.json).toMatchObject({
      name: 'cam-a',
      profile: 'esp32',
      group: 'greenhouse',
      tags: ['north'],
      status: 'provisioned',
    });
    expect(JSON.stringify(shown.json)).not.toContain(deviceA.mqtt.password);
    expect(
      (await call('GET', '/api/devices?profile=esp32')).json.items.map((d: { name: string }) => d.name),
    ).toEqual(['cam-a']);
    expect((await call('GET', '/api/devices?group=greenhouse')).json.total).toBe(1);
    expect((await call('GET', '/api/devices?tag=south')).json.items[0].name).toBe('pi-b');
    const updated = await call('PATCH', `/api/devices/${deviceB.id}`, {
      group: 'lab',
      tags: ['south', 'bench'],
    });
    expect(updated.json).toMatchObject({ group: 'lab', tags: ['bench', 'south'] });
    expect((await call('GET', '/api/groups')).json).toEqual([
      { name: 'greenhouse', devices: 1, online: 0 },
      { name: 'lab', devices: 1, online: 0 },
    ]);
    expect((await call('GET', '/api/tags')).json.map((t: { name: string }) => t.name)).toEqual([
      'bench',
      'north',
      'south',
    ]);
  });

  it('lets a device connect only with its own credentials and confines it to its topics', async () => {
    const a = await connectAsync(server.mqttUrl, mqttOptions(deviceA.mqtt));
    clients.push(a);
    await eventually(
      async () => (await api(server)('GET', `/api/devices/${deviceA.id}`)).json.status === 'online',
    );

    await expect(
      connectAsync(server.mqttUrl, mqttOptions({ ...deviceA.mqtt, password: 'wrong' })),
    ).rejects.toThrow(/Bad username or password/);
    await expect(
      connectAsync(server.mqttUrl, { ...mqttOptions(deviceA.mqtt), clientId: deviceB.id }),
    ).rejects.toThrow(/Bad username or password/);

    const b = await connectAsync(server.mqttUrl, mqttOptions(deviceB.mqtt));
    clients.push(b);
    const received: string[] = [];
    b.on('message', (_topic, payload) => received.push(payload.toString()));
    await b.subscribeAsync(deviceTopic(deviceB.id, '#'), { qos: 1 });
    // A wildcard over other devices' subtrees is refused with SUBACK 0x80.
    const refused = await a
      .subscribeAsync('fleetprune/v1/devices/+/status', { qos: 1 })
      .catch((e: { packet?: { granted: number[] } }) => e);
    expect((refused as { packet: { granted: number[] } }).packet.granted).toEqual([128]);

    const deniedBefore = (await api(server)('GET', '/health')).json.broker.deniedAccess;
    await a.publishAsync(deviceTopic(deviceB.id, 'cmd'), 'from-a', { qos: 0 }).catch(() => undefined);
    // Positive control through the same broker: B's own message reaches B.
    await b.publishAsync(deviceTopic(deviceB.id, 'cmd'), 'from-b', { qos: 1 });
    await eventually(async () => received.includes('from-b'));
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual(['from-b']);
    expect((await api(server)('GET', '/health')).json.broker.deniedAccess).toBeGreaterThan(deniedBefore);
  });

  it('answers the HTTP auth/ACL hooks an external broker (EMQX) calls, with the same policy', async () => {
    const hook = api(server, null);
    const { username, password } = deviceB.mqtt;
    expect(
      (await hook('POST', '/internal/mqtt/auth', { clientid: username, username, password })).json,
    ).toEqual({ result: 'allow' });
    expect(
      (await hook('POST', '/internal/mqtt/auth', { clientid: username, username, password: 'nope' })).json,
    ).toEqual({ result: 'deny' });
    const acl = (topic: string, action: string) =>
      hook('POST', '/internal/mqtt/acl', { username, topic, action });
    expect((await acl(deviceTopic(deviceB.id, 'telemetry'), 'publish')).json).toEqual({ result: 'allow' });
    expect((await acl(deviceTopic(deviceA.id, 'telemetry'), 'publish')).json).toEqual({ result: 'deny' });
    expect((await acl('fleetprune/v1/devices/#', 'subscribe')).json).toEqual({ result: 'deny' });
  });

  it('refuses a retired device at CONNECT', async () => {
    const retired = await api(server)('POST', `/api/devices/${deviceA.id}/retire`);
    expect(retired.json.status).toBe('retired');
    await expect(connectAsync(server.mqttUrl, mqttOptions(deviceA.mqtt))).rejects.toThrow(
      /Bad username or password/,
    );
  });

  let uploaded: { model: { id: string }; version: { artifactId: string; version: number } };

  it('stores an uploaded TensorFlow.js model and refuses a corrupt one without leaving files or rows', async () => {
    const good = await api(server)('POST', '/api/models', await tinyModelForm('tiny'));
    expect(good.json).toMatchObject({ model: { name: 'tiny' } });
    expect(good.json.version).toMatchObject({
      version: 1,
      inputShape: [-1, 4],
      outputShape: [-1, 3],
      paramCount: 15,
    });
    uploaded = good.json;

    const artifactsBefore = readdirSync(join(dataDir, 'artifacts')).sort();
    const bad = await api(server)('POST', '/api/models', await tinyModelForm('tiny-bad', true));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/declares 60 bytes of weights but its files hold 7/);
    expect(readdirSync(join(dataDir, 'artifacts')).sort()).toEqual(artifactsBefore);
    expect((await api(server)('GET', '/api/models')).json.map((m: { name: string }) => m.name)).toEqual([
      'tiny',
    ]);
  });

  it('keeps devices, models and artifacts across a restart on the same SQLite file', async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    const token = server.token;
    await server.app.close();
    expect(existsSync(join(dataDir, 'fleetprune.sqlite'))).toBe(true);

    server = await startServer(dataDir);
    expect(server.token).toBe(token);
    const devices = await api(server)('GET', '/api/devices');
    expect(devices.json.items.map((d: { name: string; status: string }) => [d.name, d.status])).toEqual([
      ['cam-a', 'retired'],
      ['pi-b', 'offline'],
    ]);
    const model = await api(server)('GET', `/api/models/${uploaded.model.id}`);
    expect(model.json.versions).toHaveLength(1);
    const artifact = await api(server)('GET', `/api/artifacts/${uploaded.version.artifactId}`);
    const weights = artifact.json.files.find((f: { name: string }) => f.name === 'weights.bin');
    const download = await fetch(
      `${server.httpUrl}/api/artifacts/${uploaded.version.artifactId}/files/weights.bin`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(weights.sha256);

    // The device that stayed valid can still connect after the restart.
    const b = await connectAsync(server.mqttUrl, mqttOptions(deviceB.mqtt));
    clients.push(b);
    expect(b.connected).toBe(true);
  });
});
