import { readFileSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { join } from 'node:path';
import Aedes from 'aedes';
import mqtt, { MqttClient } from 'mqtt';
import { generateSigningKey, signArtifact, verifyArtifact } from './artifact-signing';
import { parseDeviceTopic } from './channels';
import { ChunkAssembler } from './chunk-assembler';
import { encodeOtaChunkRequest, parseOtaChunkRequest } from './messages/ota-request';
import { OtaOffer, encodeOtaOffer, isOfferWithdrawal, parseOtaOffer } from './messages/ota-offer';
import { encodeOtaResult, parseOtaResult, OtaResult } from './messages/ota-result';
import { encodeStatus, parseStatus, StatusMessage, statusWill } from './messages/status-message';
import { serveChunk } from './serve-chunk';
import { sha256Hex } from './sha256-hex';
import { Subscription, deviceSubscriptions, serverSubscriptions } from './subscriptions';
import { deviceTopic, mayDevicePublish, mayDeviceSubscribe } from './topics';

// The protocol end to end over a real broker on loopback: aedes (MQTT 3.1.1) with the
// device ACL of this lib, mqtt.js clients, a real model, a dropped connection mid-download.
const MODEL = readFileSync(
  join(__dirname, '../../../../shared/testdata/tflite/micro_speech_quantized.tflite'),
);
const DEVICE = 'dev-1';
const CHUNK = 1024;

describe('OTA over MQTT (aedes on loopback)', () => {
  let aedes: Aedes;
  let server: Server;
  let url: string;
  const denied: string[] = [];

  beforeAll(async () => {
    aedes = new Aedes({
      authorizePublish: (client, packet, done) => {
        if (!client || client.id === 'server' || mayDevicePublish(client.id, packet.topic)) return done(null);
        denied.push(packet.topic);
        done(new Error('denied'));
      },
      authorizeSubscribe: (client, sub, done) =>
        done(null, client.id === 'server' || mayDeviceSubscribe(client.id, sub.topic) ? sub : null),
    });
    server = createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a retained offer to a device that was offline, resumes after a drop, and withdraws it', async () => {
    const keys = generateSigningKey();
    const offer: OtaOffer = {
      v: 1,
      deploymentId: 'dep-1',
      session: 0x1234abcd,
      artifactId: 'art-1',
      modelVersion: '1.0',
      size: MODEL.length,
      sha256: sha256Hex(MODEL),
      signature: signArtifact(MODEL, keys.privateKeyPem),
      signatureAlg: 'ecdsa-p256-sha256',
      chunkSize: CHUNK,
      arenaBytes: 10_000,
      ops: ['CONV_2D'],
    };

    // Server side: answers requests, records statuses and results.
    const statuses: StatusMessage[] = [];
    const results: OtaResult[] = [];
    const served: number[] = [];
    const srv = await mqtt.connectAsync(url, { clientId: 'server', clean: false, reconnectPeriod: 0 });
    await srv.subscribeAsync(subscriptionMap(serverSubscriptions()));
    srv.on('message', (topic, payload) => {
      const where = parseDeviceTopic(topic);
      if (!where) return;
      if (where.channel === 'status') statuses.push(parseStatus(payload));
      if (where.channel === 'ota/result') results.push(parseOtaResult(payload));
      if (where.channel === 'ota/request') {
        const request = parseOtaChunkRequest(payload);
        served.push(request.offset);
        srv.publish(
          deviceTopic(where.deviceId, 'ota/chunk'),
          serveChunk(MODEL, offer.session, CHUNK, request),
          {
            qos: 0,
          },
        );
      }
    });
    // The offer goes out while the device is offline; the broker keeps it (retained).
    await srv.publishAsync(deviceTopic(DEVICE, 'ota/offer'), encodeOtaOffer(offer), { qos: 1, retain: true });

    // Device side: one assembler that survives reconnects, as the download state must.
    let assembler: ChunkAssembler | undefined;
    let withdrawn = false;
    const will = statusWill(DEVICE);
    const connectDevice = async (dropAfterChunks: number): Promise<MqttClient> => {
      const dev = await mqtt.connectAsync(url, {
        clientId: DEVICE,
        reconnectPeriod: 0,
        will: { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain },
      });
      let chunksThisConnection = 0;
      // Messages already read from the socket still arrive after destroy(); a real device would lose them.
      let dropped = false;
      const publishRequests = (): void => {
        for (const r of assembler!.requests())
          dev.publish(deviceTopic(DEVICE, 'ota/request'), encodeOtaChunkRequest(r), { qos: 0 });
      };
      dev.on('message', (topic, payload) => {
        const where = parseDeviceTopic(topic);
        if (where?.channel === 'ota/offer') {
          if (isOfferWithdrawal(payload)) return void (withdrawn = true);
          const received = parseOtaOffer(payload);
          if (!assembler || assembler.target.session !== received.session)
            assembler = new ChunkAssembler(received);
          assembler.retryOutstanding(); // whatever was in flight before a drop is lost
          publishRequests();
        }
        if (where?.channel === 'ota/chunk' && assembler) {
          if (dropped) return;
          const outcome = assembler.accept(payload);
          if (outcome.accepted && ++chunksThisConnection === dropAfterChunks) {
            dropped = true;
            dev.stream.destroy(); // an abrupt drop: no DISCONNECT, so the broker sends the will
            return;
          }
          if (!assembler.complete) return publishRequests();
          const bytes = assembler.finish();
          const ok = verifyArtifact(bytes, offer.signature, keys.publicKeyPem);
          const result: OtaResult = {
            v: 1,
            session: offer.session,
            deploymentId: offer.deploymentId,
            artifactId: offer.artifactId,
            outcome: ok ? 'activated' : 'failed',
            ...(ok ? { activeArtifactId: offer.artifactId } : { reason: 'SIGNATURE_INVALID' as const }),
          };
          dev.publish(deviceTopic(DEVICE, 'ota/result'), encodeOtaResult(result), { qos: 1 });
        }
      });
      await dev.publishAsync(will.topic, encodeStatus({ v: 1, state: 'online' }), { qos: 1, retain: true });
      await dev.subscribeAsync(subscriptionMap(deviceSubscriptions(DEVICE)));
      return dev;
    };

    const first = await connectDevice(5);
    await waitFor(() => statuses.some((s) => s.state === 'offline'));
    expect(assembler!.received).toBe(5 * CHUNK);
    first.end(true);

    const second = await connectDevice(Infinity);
    await waitFor(() => results.length === 1);
    expect(results[0]).toMatchObject({ outcome: 'activated', session: offer.session });
    const chunks = Math.ceil(MODEL.length / CHUNK);
    expect(new Set(served).size).toBe(chunks);
    // Only what was in flight at the drop is fetched twice (window of 4).
    expect(served.length).toBeLessThanOrEqual(chunks + 4);
    expect(Buffer.from(assembler!.finish()).equals(MODEL)).toBe(true);

    // The server ends the session: a zero-length retained publish withdraws the offer...
    await srv.publishAsync(deviceTopic(DEVICE, 'ota/offer'), Buffer.alloc(0), { qos: 1, retain: true });
    await waitFor(() => withdrawn);
    // ... and clears it, so a device that reconnects later is not offered it again.
    const late = await mqtt.connectAsync(url, { clientId: 'dev-2', reconnectPeriod: 0 });
    const retained: Buffer[] = [];
    late.on('message', (_t, p) => retained.push(p));
    await late.subscribeAsync(deviceTopic('dev-2', 'ota/offer'));
    await new Promise((r) => setTimeout(r, 100));
    expect(retained).toEqual([]);

    expect(denied).toEqual([]);
    await Promise.all([second.endAsync(), late.endAsync(), srv.endAsync()]);
  }, 20_000);

  it('lets the broker refuse a device publishing into another device subtree', async () => {
    const dev = await mqtt.connectAsync(url, { clientId: 'dev-3', reconnectPeriod: 0 });
    await dev
      .publishAsync(deviceTopic('dev-4', 'ota/result'), Buffer.from('{}'), { qos: 0 })
      .catch(() => undefined);
    await waitFor(() => denied.includes(deviceTopic('dev-4', 'ota/result')));
    dev.end(true);
  });
});

/** mqtt.js takes subscriptions as a map of filter to options. */
function subscriptionMap(subs: Subscription[]): Record<string, { qos: 0 | 1 }> {
  return Object.fromEntries(subs.map((s) => [s.filter, { qos: s.qos }]));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
