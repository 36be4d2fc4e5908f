import {
  channelTopic,
  encodeDeviceCommand,
  encodeOtaOffer,
  DeviceCommand,
  OtaChunkRequest,
  OtaOffer,
  OtaProgress,
  OtaResult,
  parseDeviceTopic,
  parseOtaChunkRequest,
  parseOtaProgress,
  parseOtaResult,
  parseStatus,
  parseTelemetry,
  serveChunk,
  serverSubscriptions,
  sha256Hex,
  signArtifact,
  StatusMessage,
  TelemetryWindow,
} from '@fleetprune/protocol';
import mqtt, { MqttClient } from 'mqtt';

/** An artifact the responder serves. */
export interface ServedArtifact {
  offer: OtaOffer;
  bytes: Uint8Array;
}

/**
 * The server's side of docs/protocol.md, as small as a spec needs: publishes retained offers,
 * answers chunk requests with serveChunk, and records what devices send. Hooks let a spec
 * corrupt or drop chunks.
 */
export class OtaResponder {
  readonly statuses: { deviceId: string; status: StatusMessage }[] = [];
  readonly results: { deviceId: string; result: OtaResult }[] = [];
  readonly progress: { deviceId: string; progress: OtaProgress }[] = [];
  readonly telemetry: { deviceId: string; window: TelemetryWindow }[] = [];
  readonly samples: { deviceId: string; payload: Buffer }[] = [];
  /** Every chunk request received, answered or not, in arrival order. */
  readonly requests: { deviceId: string; request: OtaChunkRequest }[] = [];
  /** Requests answered, and payload bytes served. */
  served: { deviceId: string; offset: number; length: number }[] = [];
  servedBytes = 0;
  /** Return a different frame (e.g. corrupted) or null to drop; called for every answer. */
  tamper: (frame: Buffer, deviceId: string, offset: number) => Buffer | null = (f) => f;
  private readonly sessions = new Map<string, ServedArtifact>();

  private constructor(private readonly client: MqttClient) {}

  /** Connects as client id `server` and subscribes to every device channel. */
  static async start(url: string): Promise<OtaResponder> {
    const client = await mqtt.connectAsync(url, { clientId: 'server', clean: true, reconnectPeriod: 0 });
    const responder = new OtaResponder(client);
    client.on('message', (topic, payload) => responder.onMessage(topic, payload));
    await client.subscribeAsync(
      Object.fromEntries(serverSubscriptions().map((s) => [s.filter, { qos: s.qos }])),
    );
    return responder;
  }

  /** Offers `bytes` to a device (retained), signed with `privateKeyPem` unless `offer` overrides. */
  async offer(
    deviceId: string,
    bytes: Uint8Array,
    privateKeyPem: string,
    overrides: Partial<OtaOffer> = {},
  ): Promise<OtaOffer> {
    const offer = this.buildOffer(bytes, privateKeyPem, overrides);
    this.sessions.set(deviceId, { offer, bytes });
    await this.client.publishAsync(channelTopic(deviceId, 'ota/offer'), encodeOtaOffer(offer), {
      qos: 1,
      retain: true,
    });
    return offer;
  }

  /** An offer for `bytes` with a fresh random session, not published. */
  buildOffer(bytes: Uint8Array, privateKeyPem: string, overrides: Partial<OtaOffer> = {}): OtaOffer {
    return {
      v: 1,
      deploymentId: 'dep-1',
      session: 1 + Math.floor(Math.random() * 0xfffffffe),
      artifactId: `art-${sha256Hex(bytes).slice(0, 12)}`,
      modelVersion: '1.0',
      size: bytes.length,
      sha256: sha256Hex(bytes),
      signature: signArtifact(bytes, privateKeyPem),
      signatureAlg: 'ecdsa-p256-sha256',
      chunkSize: 8192,
      arenaBytes: 10_000,
      ops: ['FULLY_CONNECTED', 'SOFTMAX'],
      ...overrides,
    };
  }

  /** Withdraws the device's offer (zero-length retained publish). */
  async withdraw(deviceId: string): Promise<void> {
    this.sessions.delete(deviceId);
    await this.client.publishAsync(channelTopic(deviceId, 'ota/offer'), Buffer.alloc(0), {
      qos: 1,
      retain: true,
    });
  }

  /** Publishes a raw payload on a device topic (bad-message tests). */
  async raw(deviceId: string, channel: 'ota/offer' | 'ota/chunk' | 'cmd', payload: Buffer): Promise<void> {
    await this.client.publishAsync(channelTopic(deviceId, channel), payload, {
      qos: channel === 'ota/chunk' ? 0 : 1,
    });
  }

  async command(deviceId: string, command: DeviceCommand): Promise<void> {
    await this.client.publishAsync(channelTopic(deviceId, 'cmd'), encodeDeviceCommand(command), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private onMessage(topic: string, payload: Buffer): void {
    const where = parseDeviceTopic(topic);
    if (!where) return;
    const id = where.deviceId;
    switch (where.channel) {
      case 'status':
        if (payload.length > 0) this.statuses.push({ deviceId: id, status: parseStatus(payload) });
        break;
      case 'ota/result':
        this.results.push({ deviceId: id, result: parseOtaResult(payload) });
        break;
      case 'ota/progress':
        this.progress.push({ deviceId: id, progress: parseOtaProgress(payload) });
        break;
      case 'telemetry':
        this.telemetry.push({ deviceId: id, window: parseTelemetry(payload) });
        break;
      case 'samples':
        this.samples.push({ deviceId: id, payload });
        break;
      case 'ota/request': {
        const request = parseOtaChunkRequest(payload);
        this.requests.push({ deviceId: id, request });
        const served = this.sessions.get(id);
        if (!served) return;
        let frame: Buffer;
        try {
          frame = serveChunk(served.bytes, served.offer.session, served.offer.chunkSize, request);
        } catch {
          return; // another session or out of range: ignored, as the server does
        }
        const sent = this.tamper(frame, id, request.offset);
        if (!sent) return;
        this.served.push({ deviceId: id, offset: request.offset, length: frame.length - 20 });
        this.servedBytes += frame.length - 20;
        this.client.publish(channelTopic(id, 'ota/chunk'), sent, { qos: 0 });
        break;
      }
    }
  }
}
