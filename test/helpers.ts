import { mkdtempSync } from 'node:fs';
import * as tfl from '@tensorflow/tfjs-layers';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from '../apps/server/src/config/app-config';
import { createServer, RunningServer } from '../apps/server/src/create-server';
import { DeviceAgent, DeviceAgentInit } from '@fleetprune/devices';
import { builtinDeviceProfile, DeviceProfileSpec } from '@fleetprune/tflite';

/** A TCP port that was free a moment ago on 127.0.0.1 (for servers that must keep a fixed port). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh data directory under the OS temp dir. */
export function tempDataDir(prefix = 'fleetprune-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Boots the real server on free ports with SQLite and the embedded broker in `dataDir`. */
export function startServer(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  return createServer(
    loadAppConfig({
      PORT: '0',
      MQTT_PORT: '0',
      HOST: '127.0.0.1',
      MQTT_HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    }),
  );
}

/** A small JSON client bound to one server and token. */
export function api(server: RunningServer, token: string | null = server.token) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${server.httpUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
}

/**
 * Registers a device (a Raspberry Pi 4 unless `device.profile` names another built-in
 * profile) through the API and builds (does not start) a simulated agent for it: the broker and signing key from GET /api/ota/provisioning unless `agent`
 * overrides them, no inference or telemetry loop unless asked.
 */
export async function registerAgent(
  server: RunningServer,
  device: { name: string; group?: string; profile?: string },
  agent: Partial<DeviceAgentInit> = {},
): Promise<{ id: string; agent: DeviceAgent }> {
  const call = api(server);
  const provisioning = (await call('GET', '/api/ota/provisioning')).json;
  const profile = device.profile ?? 'rpi-4';
  const registered = await call('POST', '/api/devices', { ...device, profile });
  if (registered.status !== 201)
    throw new Error(`registering ${device.name}: ${JSON.stringify(registered.json)}`);
  return {
    id: registered.json.id,
    agent: new DeviceAgent({
      mqttUrl: provisioning.mqttUrl,
      publicKeyPem: provisioning.publicKeyPem,
      deviceId: registered.json.id,
      password: registered.json.mqtt.password,
      profile: builtinDeviceProfile(profile) as DeviceProfileSpec,
      personality: profile.startsWith('rpi') ? 'rpi' : 'esp32',
      stateDir: tempDataDir('fleetprune-device-'),
      inferenceIntervalMs: 0,
      telemetryIntervalMs: 0,
      ...agent,
    }),
  };
}

/** Polls `check` every 50 ms until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

/**
 * A small CNN of the reference model's kind (Conv-BN-ReLU-Pool-Dense) for 28x28x1 inputs,
 * with seeded initial weights so the tests that train it reach the same accuracy every run.
 */
export function smallCnn(hiddenUnits?: number): tfl.Sequential {
  const seeded = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: seeded(1),
    }),
  );
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.reLU());
  model.add(tfl.layers.maxPooling2d({ poolSize: 4 }));
  model.add(tfl.layers.flatten());
  if (hiddenUnits)
    model.add(tfl.layers.dense({ units: hiddenUnits, activation: 'relu', kernelInitializer: seeded(2) }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeded(3) }));
  return model;
}
