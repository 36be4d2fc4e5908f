import {
  CHANNELS,
  Channel,
  deviceSubscriptions,
  encodeFieldSamples,
  FieldSamples,
  encodeOtaChunkRequest,
  encodeOtaProgress,
  encodeOtaResult,
  encodeStatus,
  encodeTelemetry,
  parseDeviceCommand,
  parseDeviceTopic,
  ProtocolError,
  PROTOCOL_VERSION,
  StatusMessage,
  TelemetryWindow,
  U32_MAX,
  verifyArtifact,
} from '@fleetprune/protocol';
import type { MqttClient } from 'mqtt';
import {
  AgentCounters,
  AgentState,
  DeviceAgentEvents,
  DeviceAgentInit,
  DeviceAgentOptions,
  DEFAULT_AGENT_OPTIONS,
  emptyCounters,
} from './agent-types';
import { DeviceCommandHandler } from './device-commands';
import { firstConnect, openDeviceClient, publishChannel } from './device-link';
import { DeviceError } from './device-error';
import { DeviceStateStore, PersistentCounters } from './device-state-store';
import { FieldMonitor, InferenceRecord } from './field-monitor';
import { ModelCache } from './model-cache';
import { OtaController } from './ota-controller';
import { DevicePersonality, resolvePersonality } from './personality';
import { RunningModel, SlotLoader } from './slot-loader';
import { TypedEvents } from './typed-events';

/**
 * One simulated device (ESP32 or Raspberry Pi) speaking docs/protocol.md over MQTT: presence
 * with a last will, OTA model updates into A/B slot files with verification, self-test and
 * rollback, an inference loop over a SampleSource, telemetry windows and field samples.
 *
 * @example
 *   const agent = new DeviceAgent({ mqttUrl, deviceId, password, profile, stateDir, publicKeyPem });
 *   await agent.start();
 *   await agent.events.waitFor('activated');
 *   await agent.stop();
 */
export class DeviceAgent {
  readonly options: DeviceAgentOptions;
  readonly personality: DevicePersonality;
  readonly counters: AgentCounters = emptyCounters();
  readonly events = new TypedEvents<DeviceAgentEvents>();
  readonly store: DeviceStateStore;
  private readonly slots: SlotLoader;
  private readonly ota: OtaController<RunningModel>;
  private readonly monitor: FieldMonitor;
  private readonly commands: DeviceCommandHandler;
  private client: MqttClient | undefined;
  private running: RunningModel | undefined;
  private persistent: PersistentCounters | undefined;
  private telemetryIntervalMs: number;
  private startedAt = 0;
  private stopped = false;
  /** Our view of the link: false from a simulated drop until the next CONNACK. */
  private linked = false;

  constructor(init: DeviceAgentInit) {
    this.options = {
      ...DEFAULT_AGENT_OPTIONS,
      personality: 'esp32',
      ...stripUndefined(init),
    } as DeviceAgentOptions;
    const o = this.options;
    this.personality = resolvePersonality(o.personality);
    for (const key of [
      'inferenceIntervalMs',
      'telemetryIntervalMs',
      'requestTimeoutMs',
      'maxSilentRounds',
    ] as const)
      if (!(o[key] >= 0)) throw new DeviceError('BAD_OPTION', `${key} must be >= 0, got ${o[key]}`);
    this.telemetryIntervalMs = o.telemetryIntervalMs;
    this.store = new DeviceStateStore(o.stateDir, o.deviceId, o.durable);
    const cache = o.modelCache ?? new ModelCache({ maxEntries: 2 });
    this.slots = new SlotLoader(this.store, cache, this.personality);
    this.monitor = new FieldMonitor({
      cursor: o.samples?.cursor(o.sampleOffset),
      now: o.now,
      seed: hashSeed(o.deviceId),
      onWindow: (w) => this.publishTelemetry(w),
      onInference: () => this.counters.inferences++,
    });
    this.ota = new OtaController<RunningModel>({
      store: this.store,
      capacity: {
        profile: o.profile,
        personality: this.personality,
        slotBytes: o.slotBytes ?? o.profile.flashBytes,
      },
      signatureValid: (bytes, sha256, signature) =>
        cache.signatureValid(sha256, signature, o.publicKeyPem, () =>
          verifyArtifact(bytes, signature, o.publicKeyPem),
        ),
      timing: o,
      window: o.window ?? this.personality.window,
      persistEveryBytes: o.persistEveryBytes,
      active: () => this.running,
      load: (slot, info, bytes) => this.slots.load(slot, info, bytes, false),
      activate: (model) => this.activate(model),
      sendRequest: (r) => {
        // Offline requests would only queue up as duplicates; the pull loop re-asks on reconnect.
        if (!this.linked || !this.client?.connected) return;
        this.counters.requestsSent++;
        this.publish('ota/request', encodeOtaChunkRequest(r));
        this.events.emit('request', r);
      },
      sendProgress: (p) => {
        this.publish('ota/progress', encodeOtaProgress(p));
        this.events.emit('progress', p);
      },
      sendResult: (r) => {
        this.counters.results[r.outcome]++;
        this.publish('ota/result', encodeOtaResult(r));
        this.events.emit('result', r);
      },
      publishStatus: () => this.publishStatus(),
      offerSeen: (offer) => {
        this.counters.offers++;
        this.events.emit('offer', offer);
      },
      retried: () => this.counters.retryRounds++,
    });
    this.commands = new DeviceCommandHandler({
      publishStatus: () => this.publishStatus(),
      cancelOta: (session) => this.ota.cancel(session, 'cancelled by command'),
      rollback: () => this.rollback(),
      setTelemetryInterval: (ms) => this.setTelemetryInterval(ms),
      uploadSamples: (max, misclassifiedOnly) => this.uploadSamples(max, misclassifiedOnly),
    });
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Loads the active slot, connects, publishes `status` and subscribes; resolves once connected. */
  async start(): Promise<void> {
    if (this.client) return;
    this.stopped = false;
    this.startedAt = this.options.now();
    this.running = this.slots.boot();
    if (this.running) this.monitor.setModel(this.slots.monitored(this.running));
    this.monitor.schedule(this.options.inferenceIntervalMs, this.telemetryIntervalMs);
    const o = this.options;
    const client = openDeviceClient(o);
    this.client = client;
    client.on('message', (topic, payload) => this.guard(() => this.onMessage(topic, payload)));
    client.on('connect', () => this.guard(() => this.onConnect()));
    client.on('close', () => this.guard(() => this.onClose()));
    client.on('error', (error) => this.events.emit('error', error));
    try {
      await firstConnect(client, o);
    } catch (error) {
      await this.stop({ abrupt: true });
      throw error;
    }
  }

  /**
   * Stops the agent and its timers. Graceful: closes the telemetry window, publishes
   * `status` offline and disconnects. `abrupt`: drops the socket as a power cut would (the
   * broker publishes the last will) and keeps the download state on disk for a resume.
   */
  async stop(opts: { abrupt?: boolean } = {}): Promise<void> {
    this.ota.stop();
    this.monitor.stopTimers();
    if (!opts.abrupt) this.monitor.closeWindow(); // published while the client is still ours
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (opts.abrupt) {
      client.stream?.destroy();
      client.end(true);
      return;
    }
    if (client.connected) {
      this.publishOn(client, 'status', encodeStatus({ ...this.status(), state: 'offline' }));
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
    } else client.end(true);
  }

  /** Drops the connection as a network fault would; the client reconnects by itself. */
  simulateDisconnect(): void {
    this.linked = false;
    this.ota.onDisconnect();
    this.client?.stream?.destroy();
  }

  /** Runs one inference now (outside the loop); undefined without an active model. */
  inferOnce(): InferenceRecord | undefined {
    return this.guard(() => this.monitor.inferOnce());
  }

  /** Publishes the current telemetry window now (if it measured anything). */
  flushTelemetry(): void {
    this.monitor.closeWindow();
  }

  /** Changes the inference period (0 stops the loop). */
  setInferenceInterval(ms: number): void {
    this.options.inferenceIntervalMs = ms;
    if (this.client) this.monitor.schedule(ms, this.telemetryIntervalMs);
  }

  setTelemetryInterval(ms: number): void {
    this.telemetryIntervalMs = ms;
    if (this.client) this.monitor.schedule(this.options.inferenceIntervalMs, ms);
  }

  get state(): AgentState {
    const progress = this.ota.progress;
    return {
      connected: this.client?.connected ?? false,
      activeSlot: this.running?.slot,
      activeArtifactId: this.running?.info.artifactId,
      activeModelVersion: this.running?.info.modelVersion,
      otaSession: this.ota.session,
      downloading: progress !== undefined,
      received: progress?.received,
      total: progress?.total,
    };
  }

  /**
   * Bytes the current MQTT socket has read and written (MQTT packets, no TCP/IP headers), for
   * wire-overhead benchmarks; a reconnect opens a new socket that starts again at 0.
   */
  get socketBytes(): { read: number; written: number } {
    const socket = this.client?.stream as { bytesRead?: number; bytesWritten?: number } | undefined;
    return { read: socket?.bytesRead ?? 0, written: socket?.bytesWritten ?? 0 };
  }

  /** The `status` message this device publishes now. */
  status(): StatusMessage {
    return {
      v: PROTOCOL_VERSION,
      state: 'online',
      ts: this.options.now(),
      profile: this.options.profile.name,
      firmware: this.personality.firmware,
      activeArtifactId: this.running?.info.artifactId,
      activeModelVersion: this.running?.info.modelVersion,
      otaSession: this.ota.session,
      uptimeS: Math.min(U32_MAX, Math.max(0, Math.floor((this.options.now() - this.startedAt) / 1000))),
    };
  }

  private onConnect(): void {
    const client = this.client;
    if (!client) return;
    this.counters.connects++;
    this.linked = true;
    this.publishStatus();
    const subs = Object.fromEntries(
      deviceSubscriptions(this.deviceId).map((s) => [s.filter, { qos: s.qos }]),
    );
    client.subscribe(subs, (error) => {
      if (error) this.events.emit('error', error);
    });
    this.events.emit('connected', { connects: this.counters.connects });
  }

  private onClose(): void {
    this.linked = false;
    this.ota.onDisconnect();
    if (this.counters.connects > this.counters.disconnects) {
      this.counters.disconnects++;
      this.events.emit('disconnected', { connects: this.counters.connects });
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.stopped) return;
    const where = parseDeviceTopic(topic);
    if (
      !where ||
      where.deviceId !== this.deviceId ||
      CHANNELS[where.channel].direction !== 'server-to-device'
    )
      return this.bad(where?.channel ?? topic, 'INVALID_TOPIC', `unexpected topic ${topic}`);
    if (payload.length > CHANNELS[where.channel].maxBytes)
      return this.bad(where.channel, 'TOO_LARGE', `${payload.length} bytes on ${where.channel}`);
    try {
      if (where.channel === 'ota/offer') this.ota.handleOffer(payload);
      else if (where.channel === 'ota/chunk') this.onChunk(payload);
      else if (where.channel === 'cmd') {
        const command = parseDeviceCommand(payload);
        this.counters.commands++;
        this.events.emit('command', command);
        this.commands.handle(command);
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.bad(where.channel, error.code, error.message);
    }
  }

  private onChunk(frame: Buffer): void {
    const outcome = this.ota.handleChunk(frame);
    if (!outcome) {
      this.counters.chunksIgnored++;
      return;
    }
    if (outcome.accepted) {
      this.counters.chunksAccepted++;
      this.counters.chunkBytesAccepted += frame.length - 20;
    } else this.counters.chunksRejected[outcome.reason]++;
    this.events.emit('chunk', outcome);
  }

  private activate(model: RunningModel): void {
    this.running = model;
    this.monitor.setModel(this.slots.monitored(model));
    this.events.emit('activated', {
      artifactId: model.info.artifactId,
      modelVersion: model.info.modelVersion,
      slot: model.slot,
    });
  }

  private rollback(): void {
    const previous = this.running ? this.slots.rollback(this.running) : undefined;
    if (previous) this.activate(previous);
    this.publishStatus();
  }

  private uploadSamples(max: number, misclassifiedOnly: boolean): void {
    const running = this.running;
    const items = this.monitor.recentSamples(max, misclassifiedOnly);
    if (!running || items.length === 0) return;
    const counters = this.loadCounters();
    const message: FieldSamples = {
      v: PROTOCOL_VERSION,
      seq: counters.samplesSeq,
      artifactId: running.info.artifactId,
      modelVersion: running.info.modelVersion,
      items,
    };
    this.saveCounters({ ...counters, samplesSeq: (counters.samplesSeq + 1) % (U32_MAX + 1) });
    this.publish('samples', encodeFieldSamples(message));
    this.counters.samplesSent++;
    this.events.emit('samples', message);
  }

  private publishTelemetry(window: Omit<TelemetryWindow, 'seq'>): void {
    const counters = this.loadCounters();
    const message = { ...window, seq: counters.telemetrySeq };
    // The seq is stored before the window leaves, so a crash cannot make it repeat.
    this.saveCounters({ ...counters, telemetrySeq: (counters.telemetrySeq + 1) % (U32_MAX + 1) });
    this.publish('telemetry', encodeTelemetry(message));
    this.counters.telemetrySent++;
    this.events.emit('telemetry', message);
  }

  private publishStatus(): void {
    if (!this.client?.connected) return;
    const status = this.status();
    this.publish('status', encodeStatus(status));
    this.events.emit('status', status);
  }

  private publish(channel: Channel, payload: Buffer): void {
    if (this.client) this.publishOn(this.client, channel, payload);
  }

  private publishOn(client: MqttClient, channel: Channel, payload: Buffer): void {
    publishChannel(client, this.deviceId, channel, payload, (error) => {
      if (!this.stopped) this.events.emit('error', error);
    });
  }

  private loadCounters(): PersistentCounters {
    this.persistent ??= this.store.readCounters();
    return this.persistent;
  }

  private saveCounters(counters: PersistentCounters): void {
    this.persistent = counters;
    this.store.writeCounters(counters);
  }

  private bad(channel: string, code: string, message: string): void {
    this.counters.badMessages++;
    this.counters.badMessagesByCode[code] = (this.counters.badMessagesByCode[code] ?? 0) + 1;
    this.events.emit('bad-message', { channel, code, message });
  }

  /** Runs `fn`; an exception of the agent's own code is counted and reported, never thrown. */
  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.counters.internalErrors++;
      this.events.emit('error', error as Error);
      return undefined;
    }
  }
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
