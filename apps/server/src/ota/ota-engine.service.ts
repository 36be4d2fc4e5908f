import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  channelTopic,
  encodeDeviceCommand,
  encodeOtaOffer,
  OtaFailureReason,
  parseDeviceTopic,
  parseOtaChunkRequest,
  parseOtaProgress,
  parseOtaResult,
  parseStatus,
  ProtocolError,
  serveChunk,
  serverSubscriptions,
  TOPIC_ROOT,
} from '@fleetprune/protocol';
import { In, Repository } from 'typeorm';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DevicesService } from '../devices/devices.service';
import { Deployment } from './deployment.entity';
import { OtaArtifact } from './ota-artifact';
import { OtaArtifactCache } from './ota-artifact-cache.service';
import { FINAL_SESSION_STATES, OtaSession, OtaSessionState } from './ota-session.entity';
import { ServedChunks } from './served-chunks';

/** Failures another attempt may cure; the rest (signature, profile, self-test) would repeat. */
const RETRYABLE: ReadonlySet<OtaFailureReason> = new Set([
  'TIMEOUT',
  'SIZE_MISMATCH',
  'HASH_MISMATCH',
  'WRITE_FAILED',
  'BUSY',
]);
const TICK_MS = 500;
/** Server-only topic (devices may not publish outside their subtree): "re-read the database". */
const SYNC_TOPIC = `${TOPIC_ROOT}/servers/ota-sync`;
/** How often the database is re-read for deployments created or cancelled elsewhere. */
const SYNC_EVERY_TICKS = 4;
const OPEN_STATES: OtaSessionState[] = ['pending', 'offered', 'downloading', 'verifying'];
/** The device-to-server channels the engine follows (telemetry has its own consumer). */
const OTA_CHANNELS = ['status', 'ota/request', 'ota/progress', 'ota/result'];
/** Session numbers stay below 2^31 so every SQL integer column holds them. */
const MAX_SESSION = 2 ** 31 - 1;

/** A session with an offer out: what answering its chunk requests needs, in memory. */
interface LiveSession {
  row: OtaSession;
  deployment: Deployment;
  artifact: OtaArtifact;
  served: ServedChunks;
  lastActivity: number;
  dirty: boolean;
}

/**
 * The OTA side of the MQTT gateway: offers artifacts to devices within each deployment's
 * concurrency limit, serves chunk requests from memory, follows progress and results,
 * retries timeouts and transient failures, and after a restart continues where the
 * database says it was. It is the only writer of session state.
 */
@Injectable()
export class OtaEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OTA');
  /** Unfinished sessions by row id. */
  private readonly open = new Map<string, OtaSession>();
  /** Sessions with an offer out, by device id (one per device). */
  private readonly live = new Map<string, LiveSession>();
  private readonly active = new Map<string, Deployment>();
  private readonly online = new Set<string>();
  /** Stale sessions a device was already told to cancel ("deviceId:session"). */
  private readonly told = new Set<string>();
  /** Messages dropped, by reason; a device flooding garbage shows up here. */
  readonly dropped = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private syncing: Promise<void> = Promise.resolve();
  private pumping = false;
  private pumpQueued = false;
  private stopped = false;

  constructor(
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gateway: MqttGatewayService,
    private readonly cache: OtaArtifactCache,
    private readonly devices: DevicesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.otaEngine) {
      this.logger.log('OTA engine off in this replica (OTA_ENGINE=off): another replica offers and serves');
      return;
    }
    await this.gateway.ready;
    await this.sync();
    const mine = serverSubscriptions().filter((s) => OTA_CHANNELS.some((c) => s.filter.endsWith(`/${c}`)));
    await this.gateway.subscribe(mine, (topic, payload) => this.onMessage(topic, payload));
    await this.gateway.subscribe([{ filter: SYNC_TOPIC, qos: 1 }], (topic) => {
      if (topic === SYNC_TOPIC) void this.sync();
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    await this.flushProgress();
  }

  /**
   * Brings memory in line with the database, where deployments are created and cancelled
   * (by this replica or another): follows new deployments (re-offering, with their session
   * numbers, sessions that were in flight before a restart) and stops sessions cancelled there.
   */
  sync(): Promise<void> {
    // Another replica's engine hears of the change at once instead of at its next poll.
    if (!this.config.otaEngine) return this.gateway.publish(SYNC_TOPIC, '', { qos: 1 });
    if (this.stopped) return Promise.resolve();
    this.syncing = this.syncing.then(() => this.reconcile()).catch((error: unknown) => this.logError(error));
    return this.syncing;
  }

  private async reconcile(): Promise<void> {
    const deployments = await this.deployments.findBy({ status: 'active' });
    const fresh = deployments.filter((d) => !this.active.has(d.id));
    for (const deployment of fresh) this.active.set(deployment.id, deployment);
    const current = new Set(deployments.map((d) => d.id));
    for (const id of [...this.active.keys()]) if (!current.has(id)) this.active.delete(id);
    let resumed = 0;
    if (fresh.length > 0) {
      const rows = await this.sessions.findBy({
        deploymentId: In(fresh.map((d) => d.id)),
        state: In(OPEN_STATES),
      });
      for (const row of rows) {
        this.open.set(row.id, row);
        if (row.state === 'pending') continue;
        const live = await this.goLive(row, this.active.get(row.deploymentId) as Deployment);
        if (live) {
          await this.publishOffer(live);
          resumed++;
        }
      }
      if (resumed > 0) this.logger.log(`resumed ${resumed} session(s) that were in flight`);
    }
    await this.dropCancelled();
    for (const id of current) await this.settleIfDone(id);
    this.kick();
  }

  /** Sessions the database says were cancelled: withdraw their offers and forget them. */
  private async dropCancelled(): Promise<void> {
    const ids = [...this.open.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      const cancelled = await this.sessions.find({
        where: { id: In(ids.slice(i, i + 500)), state: 'cancelled' },
        select: { id: true },
      });
      for (const { id } of cancelled) {
        const row = this.open.get(id) as OtaSession;
        this.open.delete(id);
        row.state = 'cancelled';
        const live = this.live.get(row.deviceId);
        if (live?.row.id !== id) continue;
        this.live.delete(row.deviceId);
        this.told.add(`${row.deviceId}:${row.session}`);
        await this.withdrawOffer(row.deviceId);
        await this.gateway.publish(
          channelTopic(row.deviceId, 'cmd'),
          encodeDeviceCommand({ v: 1, id: randomUUID(), type: 'cancel-ota', session: row.session }),
        );
      }
    }
  }

  /** Whether the device's status says it is connected. */
  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  /** Download progress (0-100) of a device's live session, from memory. */
  percentOf(row: OtaSession): number {
    const live = this.live.get(row.deviceId);
    const bytes = live?.row.id === row.id ? live.served.bytes : row.bytesServed;
    const size = live?.row.id === row.id ? live.artifact.bytes.length : undefined;
    if (row.state === 'activated' || row.state === 'verifying') return 100;
    return size ? Math.floor((bytes / size) * 100) : 0;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return this.drop('INVALID_TOPIC');
    try {
      switch (parsed.channel) {
        case 'status':
          return this.onStatus(parsed.deviceId, payload);
        case 'ota/request':
          return this.onRequest(parsed.deviceId, payload);
        case 'ota/progress':
          return this.onProgress(parsed.deviceId, payload);
        case 'ota/result':
          return this.onResult(parsed.deviceId, payload);
        default:
          return;
      }
    } catch (error) {
      if (error instanceof ProtocolError) return this.drop(error.code);
      throw error;
    }
  }

  private onStatus(deviceId: string, payload: Buffer): void {
    if (payload.length === 0) return; // a cleared retained status
    const status = parseStatus(payload);
    const wasOnline = this.online.has(deviceId);
    if (status.state === 'offline') {
      this.online.delete(deviceId);
      if (wasOnline) this.background(this.devices.markPresence(deviceId, 'offline'));
      return;
    }
    this.online.add(deviceId);
    this.background(this.devices.markPresence(deviceId, 'online'));
    if (status.activeArtifactId)
      this.background(
        this.devices.recordActiveModel(deviceId, status.activeArtifactId, status.activeModelVersion ?? null),
      );
    const live = this.live.get(deviceId);
    if (live && status.activeArtifactId === live.artifact.id) {
      // The result was lost (e.g. published while we restarted); the status tells the outcome.
      this.background(this.conclude(live, 'activated', null, 'reconciled from the device status'));
    } else if (live && !wasOnline) {
      live.lastActivity = Date.now();
      this.background(this.publishOffer(live));
    }
    this.kick();
  }

  private onRequest(deviceId: string, payload: Buffer): void {
    const request = parseOtaChunkRequest(payload);
    const live = this.live.get(deviceId);
    if (!live || request.session !== live.row.session)
      return this.stopStaleDownload(deviceId, request.session);
    const frame = serveChunk(live.artifact.bytes, live.row.session, live.deployment.chunkSize, request);
    this.gateway.publishNow(channelTopic(deviceId, 'ota/chunk'), frame, { qos: 0 });
    live.lastActivity = Date.now();
    if (live.served.mark(request.offset, request.length)) live.dirty = true;
    if (live.row.state === 'offered') live.row.state = 'downloading';
    if (live.served.all && live.row.state === 'downloading') live.row.state = 'verifying';
  }

  private onProgress(deviceId: string, payload: Buffer): void {
    const progress = parseOtaProgress(payload);
    const live = this.live.get(deviceId);
    if (!live || progress.session !== live.row.session) return this.drop('STALE_SESSION');
    live.lastActivity = Date.now();
    if (progress.phase !== 'downloading' && live.row.state !== 'verifying') {
      live.row.state = 'verifying';
      live.dirty = true;
    }
  }

  private onResult(deviceId: string, payload: Buffer): void {
    const result = parseOtaResult(payload);
    const live = this.live.get(deviceId);
    // QoS 1 may deliver a result twice; the second finds no live session and is dropped.
    if (!live || result.session !== live.row.session) return this.drop('STALE_SESSION');
    if (result.outcome === 'activated') {
      this.background(
        this.devices.recordActiveModel(
          deviceId,
          live.artifact.id,
          result.activeModelVersion ?? live.artifact.modelVersion,
        ),
      );
      this.background(this.conclude(live, 'activated', null, null));
      return;
    }
    const reason = result.reason ?? null;
    const retry =
      result.outcome === 'failed' &&
      reason !== null &&
      RETRYABLE.has(reason) &&
      live.row.attempts < live.deployment.maxAttempts;
    const state: OtaSessionState = retry ? 'pending' : result.outcome;
    this.background(this.conclude(live, state, reason, result.detail ?? null));
  }

  /** Ends a live session's attempt: final state, or back to pending for another offer. */
  private async conclude(
    live: LiveSession,
    state: OtaSessionState,
    reason: string | null,
    detail: string | null,
  ): Promise<void> {
    if (this.live.get(live.row.deviceId) !== live) return;
    this.live.delete(live.row.deviceId);
    live.row.bytesServed = live.served.bytes;
    await this.withdrawOffer(live.row.deviceId);
    if (state === 'pending') {
      await this.save(live.row, { state, reason, detail, bytesServed: live.row.bytesServed });
      this.logger.warn(
        `device ${live.row.deviceId}: attempt ${live.row.attempts} failed (${reason}); retrying`,
      );
    } else {
      await this.finish(live.row, state, reason, detail);
      await this.settleIfDone(live.row.deploymentId);
    }
    this.kick();
  }

  private async finish(
    row: OtaSession,
    state: OtaSessionState,
    reason: string | null,
    detail: string | null,
  ): Promise<void> {
    this.open.delete(row.id);
    const now = new Date().toISOString();
    await this.save(row, {
      state,
      reason,
      detail: detail?.slice(0, 300) ?? null,
      finishedAt: now,
      bytesServed: row.bytesServed,
    });
  }

  /** Marks a deployment completed or failed once none of its sessions is open. */
  private async settleIfDone(deploymentId: string): Promise<void> {
    const deployment = this.active.get(deploymentId);
    if (!deployment || [...this.open.values()].some((row) => row.deploymentId === deploymentId)) return;
    this.active.delete(deploymentId);
    const notActivated = await this.sessions.count({
      where: { deploymentId, state: In(FINAL_SESSION_STATES.filter((s) => s !== 'activated')) },
    });
    const status = notActivated === 0 ? 'completed' : 'failed';
    await this.deployments.update(
      { id: deploymentId, status: 'active' },
      { status, finishedAt: new Date().toISOString() },
    );
    this.logger.log(`deployment ${deploymentId} ${status}`);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    for (const live of this.live.values()) {
      if (!this.online.has(live.row.deviceId) || now - live.lastActivity < this.config.otaSessionTimeoutMs)
        continue;
      const retry = live.row.attempts < live.deployment.maxAttempts;
      const detail = `no request or result for ${Math.round((now - live.lastActivity) / 1000)} s`;
      await this.conclude(live, retry ? 'pending' : 'failed', 'TIMEOUT', detail);
    }
    await this.flushProgress();
    if (++this.ticks % SYNC_EVERY_TICKS === 0) await this.sync();
    await this.pump();
  }

  /** Schedules a pump soon, coalescing bursts of events into one pass. */
  private kick(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      void this.pump();
    });
  }

  /** Offers pending sessions of online devices, within each deployment's concurrency limit. */
  private async pump(): Promise<void> {
    if (this.pumping) return this.kick();
    this.pumping = true;
    try {
      for (const deployment of this.active.values()) {
        let inFlight = 0;
        for (const live of this.live.values())
          if (live.deployment.id === deployment.id && this.online.has(live.row.deviceId)) inFlight++;
        const picked: OtaSession[] = [];
        for (const row of this.open.values()) {
          if (picked.length >= deployment.maxConcurrent - inFlight) break;
          if (
            row.deploymentId === deployment.id &&
            row.state === 'pending' &&
            this.online.has(row.deviceId) &&
            !this.live.has(row.deviceId)
          )
            picked.push(row);
        }
        if (picked.length > 0) await this.offer(deployment, picked);
      }
    } catch (error) {
      this.logger.error(`pump: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.pumping = false;
    }
  }

  /** New offers (fresh session numbers) for pending sessions, persisted before they go out. */
  private async offer(deployment: Deployment, rows: OtaSession[]): Promise<void> {
    const updatedAt = new Date().toISOString();
    for (const row of rows) {
      row.session = randomInt(1, MAX_SESSION);
      row.attempts += 1;
      row.state = 'offered';
      row.bytesServed = 0;
      row.updatedAt = updatedAt;
    }
    await this.sessions.manager.transaction(async (em) => {
      for (const row of rows)
        await em.update(
          OtaSession,
          { id: row.id },
          { session: row.session, attempts: row.attempts, state: row.state, bytesServed: 0, updatedAt },
        );
    });
    for (const row of rows) {
      const live = await this.goLive(row, deployment);
      if (live) await this.publishOffer(live);
    }
  }

  private async goLive(row: OtaSession, deployment: Deployment): Promise<LiveSession | undefined> {
    let artifact: OtaArtifact;
    try {
      artifact = await this.cache.get(deployment.artifactId);
    } catch (error) {
      await this.finish(
        row,
        'failed',
        'ARTIFACT_UNAVAILABLE',
        error instanceof Error ? error.message : String(error),
      );
      return undefined;
    }
    const live: LiveSession = {
      row,
      deployment,
      artifact,
      served: new ServedChunks(artifact.bytes.length, deployment.chunkSize),
      lastActivity: Date.now(),
      dirty: false,
    };
    this.live.set(row.deviceId, live);
    return live;
  }

  private async publishOffer(live: LiveSession): Promise<void> {
    const { artifact, deployment, row } = live;
    const profile = await this.devices.profileOf(row.deviceId);
    await this.gateway.publish(
      channelTopic(row.deviceId, 'ota/offer'),
      encodeOtaOffer({
        v: 1,
        deploymentId: deployment.id,
        session: row.session,
        artifactId: artifact.id,
        modelVersion: artifact.modelVersion,
        size: artifact.bytes.length,
        sha256: artifact.sha256,
        signature: artifact.signature,
        signatureAlg: artifact.signatureAlg,
        chunkSize: deployment.chunkSize,
        arenaBytes: profile?.runtime === 'tflite' ? artifact.arenaBytes64 : artifact.arenaBytes32,
        ops: artifact.ops,
      }),
      { qos: 1, retain: true },
    );
  }

  /** A zero-length retained publish clears the offer, so a reconnecting device is not offered it again. */
  private async withdrawOffer(deviceId: string): Promise<void> {
    await this.gateway.publish(channelTopic(deviceId, 'ota/offer'), Buffer.alloc(0), {
      qos: 1,
      retain: true,
    });
  }

  /** Writes progress and state changes of live sessions (one transaction per tick). */
  private async flushProgress(): Promise<void> {
    const dirty = [...this.live.values()].filter((l) => l.dirty || l.row.bytesServed !== l.served.bytes);
    if (dirty.length === 0) return;
    const updatedAt = new Date().toISOString();
    await this.sessions.manager.transaction(async (em) => {
      for (const live of dirty) {
        live.dirty = false;
        live.row.bytesServed = live.served.bytes;
        await em.update(
          OtaSession,
          { id: live.row.id },
          { state: live.row.state, bytesServed: live.row.bytesServed, updatedAt },
        );
      }
    });
  }

  private async save(row: OtaSession, changes: Partial<OtaSession>): Promise<void> {
    Object.assign(row, changes, { updatedAt: new Date().toISOString() });
    await this.sessions.update({ id: row.id }, { ...changes, updatedAt: row.updatedAt });
  }

  /**
   * A device asking for chunks of a session that ended (cancelled or superseded while it was
   * offline, so it never saw the withdrawal) is told to stop, once per session.
   */
  private stopStaleDownload(deviceId: string, session: number): void {
    this.drop('STALE_SESSION');
    const key = `${deviceId}:${session}`;
    if (this.stopped || this.told.has(key)) return;
    if (this.told.size > 10_000) this.told.clear();
    this.told.add(key);
    this.background(
      this.gateway.publish(
        channelTopic(deviceId, 'cmd'),
        encodeDeviceCommand({ v: 1, id: randomUUID(), type: 'cancel-ota', session }),
      ),
    );
  }

  private drop(reason: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  private background(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.logError(error));
  }

  private logError(error: unknown): void {
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
