// Puts a fleet into a fresh server through its REST API: devices, the model, provisioning.
import type { FleetDeviceSpec } from '@fleetprune/devices';
import type { ServerProcess } from './server-process';

export interface Provisioning {
  mqttUrl: string;
  publicKeyPem: string;
}

export const BENCH_GROUP = 'bench';

/** Registers `count` esp32 devices in group `bench`, `parallel` requests at a time. */
export async function registerDevices(
  server: ServerProcess,
  count: number,
  parallel = 8,
): Promise<FleetDeviceSpec[]> {
  const devices: FleetDeviceSpec[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const answer = await server.call<{ id: string; mqtt: { password: string }; message?: string }>(
        'POST',
        '/api/devices',
        { name: `bench-${i}`, profile: 'esp32', group: BENCH_GROUP },
      );
      if (answer.status !== 201)
        throw new Error(`POST /api/devices answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      devices[i] = { deviceId: answer.json.id, password: answer.json.mqtt.password };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return devices;
}

/** Uploads the model as a signed artifact; returns its id. */
export async function uploadModel(
  server: ServerProcess,
  model: Uint8Array,
  version: string,
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(model)]), 'bench.tflite');
  form.append('modelVersion', version);
  const answer = await server.call<{ id: string }>('POST', '/api/artifacts', form);
  if (answer.status !== 201)
    throw new Error(`POST /api/artifacts answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return answer.json.id;
}

/** Broker URL and signing key the devices need. */
export async function provisioning(server: ServerProcess): Promise<Provisioning> {
  const answer = await server.call<Provisioning>('GET', '/api/ota/provisioning');
  if (answer.status !== 200) throw new Error(`GET /api/ota/provisioning answered ${answer.status}`);
  return answer.json;
}

/** Polls until the server lists `count` bench devices as online, or throws after `ms`. */
export async function waitOnline(server: ServerProcess, count: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let online = 0;
  while (Date.now() < deadline) {
    const answer = await server.call<{ total: number }>(
      'GET',
      `/api/devices?status=online&group=${BENCH_GROUP}&limit=1`,
    );
    online = answer.json.total;
    if (online >= count) return online;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`only ${online} of ${count} devices online on the server after ${ms} ms`);
}
