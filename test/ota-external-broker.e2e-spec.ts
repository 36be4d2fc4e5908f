import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceAgent } from '@fleetprune/devices';
import { builtinDeviceProfile, DeviceProfileSpec } from '@fleetprune/tflite';
import type { RunningServer } from '../apps/server/src/create-server';
import { BrokerProcess, mosquittoAvailable, startMosquitto } from '../bench/ota/brokers';
import { api, eventually, freePort, startServer, tempDataDir } from './helpers';

// The scale path's broker: Debian's Mosquitto as an external broker (MQTT_URL), with the
// telemetry consumer on an MQTT 5 shared subscription ($share/servers/...).
jest.setTimeout(60_000);

const PERSON = readFileSync(
  join(__dirname, '..', '..', 'shared', 'testdata', 'tflite', 'person_detect.tflite'),
);

const describeIf = mosquittoAvailable() ? describe : describe.skip;
if (!mosquittoAvailable()) console.warn('skipped: no /usr/sbin/mosquitto (apt install mosquitto)');

describeIf('OTA through an external Mosquitto broker', () => {
  let broker: BrokerProcess;
  let server: RunningServer;
  let agent: DeviceAgent | undefined;

  beforeAll(async () => {
    broker = await startMosquitto(await freePort());
    server = await startServer(tempDataDir(), { MQTT_URL: broker.url, MQTT_SHARED_GROUP: 'servers' });
  });
  afterAll(async () => {
    await agent?.stop();
    await server?.app.close();
    await broker?.stop();
  });

  it('deploys a model and stores the device telemetry', async () => {
    const call = api(server);
    expect((await call('GET', '/health')).json.broker).toMatchObject({ up: true, embedded: false });
    const provisioning = (await call('GET', '/api/ota/provisioning')).json;
    expect(provisioning.mqttUrl).toBe(broker.url);
    const registered = (await call('POST', '/api/devices', { name: 'pi-ext', profile: 'rpi-4' })).json;
    agent = new DeviceAgent({
      mqttUrl: broker.url,
      deviceId: registered.id,
      password: registered.mqtt.password,
      profile: builtinDeviceProfile('rpi-4') as DeviceProfileSpec,
      personality: 'rpi',
      stateDir: tempDataDir('fleetprune-ext-device-'),
      publicKeyPem: provisioning.publicKeyPem,
      inferenceIntervalMs: 0,
      telemetryIntervalMs: 0,
    });
    await agent.start();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PERSON)]), 'person_detect.tflite');
    const artifact = (await call('POST', '/api/artifacts', form)).json;
    const activated = agent.events.waitFor('activated', () => true, 30_000);
    const deployment = (
      await call('POST', '/api/deployments', { artifactId: artifact.id, target: `device:${registered.id}` })
    ).json;
    await activated;
    await eventually(
      async () => (await call('GET', `/api/deployments/${deployment.id}`)).json.status === 'completed',
    );

    for (let i = 0; i < 3; i++) agent.inferOnce();
    agent.flushTelemetry();
    await eventually(async () => {
      const rows = (await call('GET', `/api/telemetry?deviceId=${registered.id}`)).json;
      return rows.length === 1 && rows[0].samples === 3 && rows[0].artifactId === artifact.id;
    });
  });
});
