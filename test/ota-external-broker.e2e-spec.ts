import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceAgent } from '@fleetprune/devices';
import type { RunningServer } from '../apps/server/src/create-server';
import { BrokerProcess, mosquittoAvailable, startMosquitto } from '../bench/ota/brokers';
import { api, eventually, freePort, registerAgent, startServer, tempDataDir } from './helpers';

// The scale path's broker: Debian's Mosquitto as an external broker (MQTT_URL), with the
// telemetry consumer on an MQTT 5 shared subscription ($share/servers/...).
jest.setTimeout(60_000);

const PERSON = readFileSync(
  join(__dirname, '..', '..', 'shared', 'testdata', 'tflite', 'person_detect.tflite'),
);

const describeIf = mosquittoAvailable() ? describe : describe.skip;
if (!mosquittoAvailable()) console.warn('skipped: no /usr/sbin/mosquitto (apt install mosquitto)');

describeIf('OTA through an external Mosquitto broker', () => {
  const dataDir = tempDataDir();
  let broker: BrokerProcess;
  let server: RunningServer;
  let replica: RunningServer | undefined;
  const agents: DeviceAgent[] = [];

  beforeAll(async () => {
    broker = await startMosquitto(await freePort());
    server = await startServer(dataDir, { MQTT_URL: broker.url, MQTT_SHARED_GROUP: 'servers' });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await replica?.app.close();
    await server?.app.close();
    await broker?.stop();
  });

  /** Registers a device and starts an agent for it on the broker. */
  const startAgent = async (name: string, extra: { window?: number } = {}) => {
    const registered = await registerAgent(server, { name }, extra);
    agents.push(registered.agent);
    await registered.agent.start();
    return registered;
  };

  it('deploys a model and stores the device telemetry', async () => {
    const call = api(server);
    expect((await call('GET', '/health')).json.broker).toMatchObject({ up: true, embedded: false });
    expect((await call('GET', '/api/ota/provisioning')).json.mqttUrl).toBe(broker.url);
    const { id, agent } = await startAgent('pi-ext');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PERSON)]), 'person_detect.tflite');
    const artifact = (await call('POST', '/api/artifacts', form)).json;
    const activated = agent.events.waitFor('activated', () => true, 30_000);
    const deployment = (
      await call('POST', '/api/deployments', { artifactId: artifact.id, target: `device:${id}` })
    ).json;
    await activated;
    await eventually(
      async () => (await call('GET', `/api/deployments/${deployment.id}`)).json.status === 'completed',
    );

    for (let i = 0; i < 3; i++) agent.inferOnce();
    agent.flushTelemetry();
    await eventually(async () => {
      const rows = (await call('GET', `/api/telemetry?deviceId=${id}`)).json;
      return rows.length === 1 && rows[0].samples === 3 && rows[0].artifactId === artifact.id;
    });
  });

  it('takes deployments and cancellations made through a second replica that runs no OTA engine', async () => {
    replica = await startServer(dataDir, {
      MQTT_URL: broker.url,
      MQTT_SHARED_GROUP: 'servers',
      OTA_ENGINE: 'off',
    });
    const viaReplica = api(replica, server.token);
    const { id, agent } = await startAgent('pi-replica');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PERSON)]), 'person_detect.tflite');
    form.append('modelVersion', 'via-replica');
    const artifact = (await viaReplica('POST', '/api/artifacts', form)).json;
    const activated = agent.events.waitFor('activated', () => true, 30_000);
    const deployment = (
      await viaReplica('POST', '/api/deployments', { artifactId: artifact.id, target: `device:${id}` })
    ).json;
    expect((await activated).artifactId).toBe(artifact.id);
    await eventually(
      async () => (await viaReplica('GET', `/api/deployments/${deployment.id}`)).json.status === 'completed',
    );

    // A slow download (256-byte chunks, one at a time) cancelled through the replica stops on the device.
    const second = await startAgent('pi-replica-2', { window: 1 });
    const again = (
      await viaReplica('POST', '/api/deployments', {
        artifactId: artifact.id,
        target: `device:${second.id}`,
        chunkSize: 256,
      })
    ).json;
    await eventually(async () => (second.agent.state.received ?? 0) > 0, 10_000);
    const stopped = second.agent.events.waitFor('result', () => true, 10_000);
    expect((await viaReplica('POST', `/api/deployments/${again.id}/cancel`)).json.status).toBe('cancelled');
    expect(await stopped).toMatchObject({ outcome: 'failed', reason: 'CANCELLED' });
    expect(second.agent.state.activeArtifactId).toBeUndefined();
  });
});
