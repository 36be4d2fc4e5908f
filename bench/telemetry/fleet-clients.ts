// The benchmark's devices: one bare mqtt.js connection per registered device, which reports
// the artifact it runs and publishes telemetry windows (or the same bytes on a topic the
// server does not read, for the bare-subscriber baseline).
import type { FleetDeviceSpec } from '@fleetprune/devices';
import {
  channelTopic,
  DEVICES_ROOT,
  encodeStatus,
  encodeTelemetry,
  TelemetryWindow,
} from '@fleetprune/protocol';
import { connectAsync, MqttClient } from 'mqtt';

/** A topic level under each device's prefix that the server does not subscribe to. */
export const BARE_CHANNEL = 'bench';
/** The bare subscriber's filter for BARE_CHANNEL. */
export const BARE_FILTER = `${DEVICES_ROOT}/+/${BARE_CHANNEL}`;

export interface BenchDevice {
  id: string;
  client: MqttClient;
}

/** A window with `seq`, varied counts, stamped with the publish time (device clock = this machine's). */
export function benchWindow(
  seq: number,
  artifactId: string,
  modelVersion: string,
  at: number,
): TelemetryWindow {
  const samples = 10 + (seq % 40);
  const confidenceHistogram = Array.from({ length: 10 }, () => 0);
  confidenceHistogram[seq % 10] = samples;
  return {
    v: 1,
    seq,
    artifactId,
    modelVersion,
    windowStart: at - 1000,
    windowEnd: at,
    samples,
    labelled: samples,
    correct: samples - (seq % 7),
    confidenceHistogram,
    latencyMeanMs: 12.5,
    latencyP95Ms: 20,
    arenaUsedBytes: 30_000,
  };
}

/** Connects every device, `parallel` at a time, and has each report `artifactId` as active. */
export async function connectFleet(
  mqttUrl: string,
  specs: FleetDeviceSpec[],
  artifactId: string,
  modelVersion: string,
  parallel = 50,
): Promise<BenchDevice[]> {
  const devices: BenchDevice[] = new Array(specs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      const { deviceId, password } = specs[i];
      const client = await connectAsync(mqttUrl, {
        username: deviceId,
        password,
        clientId: deviceId,
        reconnectPeriod: 0,
      });
      await client.publishAsync(
        channelTopic(deviceId, 'status'),
        encodeStatus({
          v: 1,
          state: 'online',
          activeArtifactId: artifactId,
          activeModelVersion: modelVersion,
        }),
        { qos: 1, retain: true },
      );
      devices[i] = { id: deviceId, client };
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, specs.length) }, worker));
  return devices;
}

/**
 * Every device publishes `perDevice` windows (QoS 1, not waiting between them) on `channel`;
 * payloads are encoded before the clock starts. Resolves with the start time once every
 * PUBACK is in.
 */
export async function publishPass(
  devices: BenchDevice[],
  perDevice: number,
  channel: 'telemetry' | typeof BARE_CHANNEL,
  seqBase: number,
  artifactId: string,
  modelVersion: string,
): Promise<{ startedAt: number; pubackedAt: number }> {
  const now = Date.now();
  const plan = devices.map((d) => ({
    client: d.client,
    topic:
      channel === 'telemetry' ? channelTopic(d.id, 'telemetry') : `${DEVICES_ROOT}/${d.id}/${BARE_CHANNEL}`,
    payloads: Array.from({ length: perDevice }, (_, k) =>
      encodeTelemetry(benchWindow(seqBase + k, artifactId, modelVersion, now)),
    ),
  }));
  const startedAt = Date.now();
  await Promise.all(
    plan.flatMap((p) => p.payloads.map((payload) => p.client.publishAsync(p.topic, payload, { qos: 1 }))),
  );
  return { startedAt, pubackedAt: Date.now() };
}

/** Closes every connection. */
export async function closeFleet(devices: BenchDevice[]): Promise<void> {
  await Promise.all(devices.map((d) => d.client.endAsync(true)));
}
