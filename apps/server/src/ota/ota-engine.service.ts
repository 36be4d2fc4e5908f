import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  channelTopic,
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
import { Subject } from 'rxjs';
import { In, Repository } from 'typeorm';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BatchedWriter } from '../database/batched-writer';
import { DevicesService } from '../devices/devices.service';
import { Deployment } from './deployment.entity';
import { DevicePresence } from './device-presence';
import { LiveSession } from './live-session';
import { OfferPublisher } from './offer-publisher';
import { arenaFor, OtaArtifact } from './ota-artifact';
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
const PROGRESS_WRITE_MS = 5000;
/** Shortest time between two pumps (see kick). */
const PUMP_SPACING_MS = 50;
/** How often the database is re-read for deployments created or cancelled elsewhere. */
const SYNC_EVERY_TICKS = 4;
/** Server-only topic (devices may not publish outside their subtree): "re-read the database". */
const SYNC_TOPIC = `${TOPIC_ROOT}/servers/ota-sync`;
const OPEN_STATES: OtaSessionState[] = ['pending', 'offered', 'downloading', 'verifying'];
/** The device-to-server channels the engine follows (telemetry has its own consumer). */
const OTA_CHANNELS = ['status', 'ota/request', 'ota/progress', 'ota/result'];
/** Session numbers stay below 2^31 so every SQL integer column holds them. */
const MAX_SESSION = 2 ** 31 - 1;

/** Something a live view should refetch: a device (presence, model) or a deployment (sessions). */
export interface OtaChange {
  kind: 'device' | 'deployment';
  id: string;
}

/**
 * The OTA side of the MQTT gateway: offers artifacts to devices within each deployment's
 * concurrency limit, serves chunk requests from memory, follows progress and results,
 * retries timeouts and transient failures, and after a restart continues where the
 * database says it was. It is the only writer of session progress; deployments are created
 * and cancelled in the database (by any replica) and picked up by `sync()`.
 */
@Injectable()
export class OtaEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OTA');
  /** Unfinished sessions by row id, and their ids per deployment. */
  private readonly open = new Map<string, OtaSession>();
  private readonly openByDeployment = new Map<string, Set<string>>();
  /** Sessions with an offer out, by device id (one per device). */
  private readonly live = new Map<string, LiveSession>();
  private readonly active = new Map<string, Deployment>();
  private readonly presence: DevicePresence;
  private readonly publisher: OfferPublisher;
  private readonly writer: BatchedWriter<OtaSession>;
  /** Messages dropped, by reason; a device flooding garbage shows up here. */
  readonly dropped = new Map<string, number>();
  /** Presence, active-model and session changes, unthrottled (live views coalesce them). */
  readonly changes$ = new Subject<OtaChange>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private syncing: Promise<void> = Promise.resolve();
  private pumping = false;
  private pumpQueued = false;
  private lastPumpAt = 0;
  private stopped = false;

  constructor(
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gateway: MqttGatewayService,
    private readonly cache: OtaArtifactCache,
    private readonly devices: DevicesService,
  ) {
    this.presence = new DevicePresence(devices, (work) => this.background(work), Boolean(config.mqttUrl));
    this.publisher = new OfferPublisher(gateway);
    this.writer = new BatchedWriter(sessions);
    this.presence.changes$.subscribe((id) => this.changes$.next({ kind: 'device', id }));
  }

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
    this.flushProgress();
    await this.writer.drain();
  }

  /**
   * Brings memory in line with the database: follows new deployments (re-offering, with
   * their session numbers, sessions that were in flight before a restart) and stops
   * sessions cancelled there. Without an engine here, nudges the replica that has one.
   */
  sync(): Promise<void> {
    if (!this.config.otaEngine) return this.gateway.publish(SYNC_TOPIC, '', { qos: 1 });
    if (this.stopped) return Promise.resolve();
    this.syncing = this.syncing.then(() => this.reconcile()).catch((error: unknown) => this.logError(error));
    return this.syncing;
  }

  /** A session's current state and download progress (0-100): from memory while it is live. */
  progressOf(row: OtaSession): { state: OtaSessionState; percent: number } {
    const live = this.live.get(row.deviceId);
    const mine = live?.row.id === row.id ? live : undefined;
    const state = mine ? mine.row.state : row.state;
    if (state === 'activated' || state === 'verifying') return { state, percent: 100 };
    return { state, percent: mine ? Math.floor((mine.served.bytes / mine.artifact.bytes.length) * 100) : 0 };
  }

  private async reconcile(): Promise<void> {
    // Read as a transaction: on SQLite's one shared connection a plain read made while a new
    // deployment's sessions were being inserted (500 per statement) saw the deployment with
    // only some of its sessions, and the rest were never offered. Transactions run one at a time.
    const { deployments, rows } = await this.deployments.manager.transaction(async (em) => {
      const active = await em.findBy(Deployment, { status: 'active' });
      const unseen = active.filter((d) => !this.active.has(d.id)).map((d) => d.id);
      const open =
        unseen.length > 0
          ? await em.findBy(OtaSession, { deploymentId: In(unseen), state: In(OPEN_STATES) })
          : [];
      return { deployments: active, rows: open };
    });
    const fresh = deployments.filter((d) => !this.active.has(d.id));
    for (const deployment of fresh) this.active.set(deployment.id, deployment);
    // A pause or resume is written by whichever replica took the request.
    for (const d of deployments) (this.active.get(d.id) as Deployment).paused = d.paused;
    const current = new Set(deployments.map((d) => d.id));
    for (const id of [...this.active.keys()]) if (!current.has(id)) this.active.delete(id);
    if (fresh.length > 0) {
      for (const row of rows) this.addOpen(row);
      const inFlight = rows.filter((row) => row.state !== 'pending');
      // Same session numbers as before the restart: devices resume with the chunks they have.
      await this.goLive(inFlight);
      if (inFlight.length > 0) this.logger.log(`resumed ${inFlight.length} session(s) that were in flight`);
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
        this.removeOpen(row);
        row.state = 'cancelled';
        const live = this.live.get(row.deviceId);
        if (live?.row.id !== id) continue;
        this.live.delete(row.deviceId);
        await this.publisher.withdraw(row.deviceId);
        await this.publisher.cancel(row.deviceId, row.session);
      }
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return this.drop('INVALID_TOPIC');
    try {
      if (parsed.channel === 'status') this.onStatus(parsed.deviceId, payload);
      else if (parsed.channel === 'ota/request') this.onRequest(parsed.deviceId, payload);
      else if (parsed.channel === 'ota/progress') this.onProgress(parsed.deviceId, payload);
      else if (parsed.channel === 'ota/result') this.onResult(parsed.deviceId, payload);
    } catch (error) {
      if (error instanceof ProtocolError) return this.drop(error.code);
      throw error;
    }
  }

  private onStatus(deviceId: string, payload: Buffer): void {
    if (payload.length === 0) return; // a cleared retained status
    const status = parseStatus(payload);
    const cameOnline = this.presence.update(deviceId, status);
    const live = this.live.get(deviceId);
    if (live && status.state === 'online' && status.activeArtifactId === live.artifact.id) {
      // The result was lost (e.g. published while we restarted); the status tells the outcome.
      this.background(this.conclude(live, 'activated', null, 'reconciled from the device status', 'device'));
    } else if (live && cameOnline) {
      live.lastActivity = Date.now();
      this.background(this.publisher.offer(live));
    }
    if (cameOnline) this.kick();
  }

  private onRequest(deviceId: string, payload: Buffer): void {
    const request = parseOtaChunkRequest(payload);
    const live = this.live.get(deviceId);
    if (!live || request.session !== live.row.session) {
      // A device that missed a withdrawal (cancelled while it was offline) is told to stop.
      this.drop('STALE_SESSION');
      if (!this.stopped) this.background(this.publisher.cancel(deviceId, request.session));
      return;
    }
    const frame = serveChunk(live.artifact.bytes, live.row.session, live.deployment.chunkSize, request);
    this.gateway.publishNow(channelTopic(deviceId, 'ota/chunk'), frame, { qos: 0 });
    live.lastActivity = Date.now();
    live.served.mark(request.offset, request.length);
    // Kept in memory (the API shows live state from here) and written with the progress.
    const before = live.row.state;
    if (live.row.state !== 'verifying') live.row.state = live.served.all ? 'verifying' : 'downloading';
    if (live.row.state !== before) this.changed(live.row.deploymentId);
  }

  private onProgress(deviceId: string, payload: Buffer): void {
    const progress = parseOtaProgress(payload);
    const live = this.live.get(deviceId);
    if (!live || progress.session !== live.row.session) return this.drop('STALE_SESSION');
    live.lastActivity = Date.now();
    if (progress.phase !== 'downloading') live.row.state = 'verifying';
  }

  private onResult(deviceId: string, payload: Buffer): void {
    const result = parseOtaResult(payload);
    const live = this.live.get(deviceId);
    // QoS 1 may deliver a result twice; the second finds no live session and is dropped.
    if (!live || result.session !== live.row.session) return this.drop('STALE_SESSION');
    if (result.outcome === 'activated') {
      this.presence.recordActive(
        deviceId,
        live.artifact.id,
        result.activeModelVersion ?? live.artifact.modelVersion,
      );
      this.background(this.conclude(live, 'activated', null, null, 'device'));
      return;
    }
    const reason = result.reason ?? null;
    const retry =
      result.outcome === 'failed' &&
      reason !== null &&
      RETRYABLE.has(reason) &&
      live.row.attempts < live.deployment.maxAttempts;
    this.background(
      this.conclude(live, retry ? 'pending' : result.outcome, reason, result.detail ?? null, 'device'),
    );
  }

  /**
   * Ends a live session's attempt: a final state, or back to pending for another offer. A
   * device that ended it (result or status) already knows; one the server gave up on is told.
   */
  private async conclude(
    live: LiveSession,
    state: OtaSessionState,
    reason: string | null,
    detail: string | null,
    endedBy: 'device' | 'server',
  ): Promise<void> {
    if (this.live.get(live.row.deviceId) !== live) return;
    this.live.delete(live.row.deviceId);
    live.row.bytesServed = live.served.bytes;
    const deviceId = live.row.deviceId;
    const withdrawn =
      endedBy === 'device' ? this.publisher.retire(deviceId) : this.publisher.withdraw(deviceId);
    if (state === 'pending') {
      this.logger.warn(
        `device ${live.row.deviceId}: attempt ${live.row.attempts} failed (${reason}); retrying`,
      );
      await this.save(live.row, { state, reason, detail, bytesServed: live.row.bytesServed });
    } else {
      await this.finish(live.row, state, reason, detail);
      await this.settleIfDone(live.row.deploymentId);
    }
    await withdrawn;
    this.kick();
  }

  private async finish(
    row: OtaSession,
    state: OtaSessionState,
    reason: string | null,
    detail: string | null,
  ): Promise<void> {
    this.removeOpen(row);
    await this.save(row, {
      state,
      reason,
      detail: detail?.slice(0, 300) ?? null,
      finishedAt: new Date().toISOString(),
      bytesServed: row.bytesServed,
    });
  }

  /** Marks a deployment completed or failed once none of its sessions is open. */
  private async settleIfDone(deploymentId: string): Promise<void> {
    if (!this.active.has(deploymentId) || (this.openByDeployment.get(deploymentId)?.size ?? 0) > 0) return;
    this.active.delete(deploymentId);
    await this.writer.drain();
    const notActivated = await this.sessions.count({
      where: { deploymentId, state: In(FINAL_SESSION_STATES.filter((s) => s !== 'activated')) },
    });
    const status = notActivated === 0 ? 'completed' : 'failed';
    await this.deployments.update(
      { id: deploymentId, status: 'active' },
      { status, finishedAt: new Date().toISOString() },
    );
    this.changed(deploymentId);
    this.logger.log(`deployment ${deploymentId} ${status}`);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    for (const live of this.live.values()) {
      if (
        !this.presence.isOnline(live.row.deviceId) ||
        now - live.lastActivity < this.config.otaSessionTimeoutMs
      )
        continue;
      const retry = live.row.attempts < live.deployment.maxAttempts;
      const detail = `no request or result for ${Math.round((now - live.lastActivity) / 1000)} s`;
      await this.conclude(live, retry ? 'pending' : 'failed', 'TIMEOUT', detail, 'server');
    }
    this.flushProgress();
    if (++this.ticks % SYNC_EVERY_TICKS === 0) await this.sync();
    await this.pump();
  }

  /**
   * Schedules a pump soon, coalescing bursts of events into one pass. A pump walks every open
   * session of each deployment, so during a burst of results it runs at most once per
   * PUMP_SPACING_MS: otherwise a thousand results cost a thousand walks of a thousand sessions.
   */
  private kick(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    const run = () => {
      this.pumpQueued = false;
      void this.pump();
    };
    const wait = this.lastPumpAt + PUMP_SPACING_MS - Date.now();
    if (wait <= 0) setImmediate(run);
    else setTimeout(run, wait).unref();
  }

  /** Offers pending sessions of online devices, within each deployment's concurrency limit. */
  private async pump(): Promise<void> {
    if (this.pumping) return this.kick();
    this.pumping = true;
    this.lastPumpAt = Date.now();
    try {
      for (const deployment of this.active.values()) {
        if (deployment.paused) continue; // downloads under way finish; no new offers
        let free = deployment.maxConcurrent;
        for (const live of this.live.values())
          if (live.deployment.id === deployment.id && this.presence.isOnline(live.row.deviceId)) free--;
        const picked: OtaSession[] = [];
        for (const id of this.openByDeployment.get(deployment.id) ?? []) {
          if (picked.length >= free) break;
          const row = this.open.get(id) as OtaSession;
          if (row.state === 'pending' && this.presence.isOnline(row.deviceId) && !this.live.has(row.deviceId))
            picked.push(row);
        }
        if (picked.length > 0) await this.offer(picked);
      }
    } catch (error) {
      this.logError(error);
    } finally {
      this.pumping = false;
    }
  }

  /** New offers (fresh session numbers) for pending sessions, committed before they go out. */
  private async offer(rows: OtaSession[]): Promise<void> {
    const updatedAt = new Date().toISOString();
    const previous = rows.map((row) => ({ ...row }));
    try {
      await Promise.all(
        rows.map((row) => {
          Object.assign(row, {
            session: randomInt(1, MAX_SESSION),
            attempts: row.attempts + 1,
            state: 'offered',
          });
          Object.assign(row, { bytesServed: 0, updatedAt });
          const { session, attempts, state } = row;
          return this.writer.write(row.id, { session, attempts, state, bytesServed: 0, updatedAt });
        }),
      );
      await this.goLive(rows);
      for (const id of new Set(rows.map((row) => row.deploymentId))) this.changed(id);
    } catch (error) {
      // Back to pending (in memory; the database copy is re-written by the next offer), so a
      // failed write or query never strands a session as "offered" with no offer out.
      rows.forEach((row, i) => {
        if (!this.live.has(row.deviceId)) Object.assign(row, previous[i]);
      });
      throw error;
    }
  }

  /** Makes sessions live and publishes their offers, all at once (one query for the profiles). */
  private async goLive(rows: OtaSession[]): Promise<void> {
    if (rows.length === 0) return;
    const runtimes = await this.devices.runtimesOf(rows.map((r) => r.deviceId));
    for (const row of rows) {
      const deployment = this.active.get(row.deploymentId) as Deployment;
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
        continue;
      }
      const live: LiveSession = {
        row,
        deployment,
        artifact,
        arenaBytes: arenaFor(artifact, runtimes.get(row.deviceId) ?? 'tflite-micro'),
        served: new ServedChunks(artifact.bytes.length, deployment.chunkSize),
        lastActivity: Date.now(),
        writtenAt: Date.now(),
      };
      this.live.set(row.deviceId, live);
      // Not awaited: a broker slow to confirm thousands of retained publishes must not hold
      // up the pump (a lost offer is re-sent on the device's next status, or times out).
      this.background(this.publisher.offer(live));
    }
  }

  /**
   * Queues the progress (and downloading/verifying state) of live sessions every
   * PROGRESS_WRITE_MS: the API reads live sessions from memory and the database copy only has
   * to survive a restart, so a thousand downloads do not cost thousands of writes.
   */
  private flushProgress(): void {
    const now = Date.now();
    const updatedAt = new Date(now).toISOString();
    const downloading = new Set<string>();
    for (const live of this.live.values()) if (live.served.bytes > 0) downloading.add(live.row.deploymentId);
    // Download percentages move between writes; live views throttle these per deployment.
    for (const id of downloading) this.changed(id);
    for (const live of this.live.values()) {
      if (live.row.bytesServed === live.served.bytes || now - live.writtenAt < PROGRESS_WRITE_MS) continue;
      live.writtenAt = now;
      live.row.bytesServed = live.served.bytes;
      this.background(
        this.writer.write(live.row.id, {
          state: live.row.state,
          bytesServed: live.row.bytesServed,
          updatedAt,
        }),
      );
    }
  }

  private save(row: OtaSession, changes: Partial<OtaSession>): Promise<void> {
    Object.assign(row, changes, { updatedAt: new Date().toISOString() });
    this.changed(row.deploymentId);
    return this.writer.write(row.id, { ...changes, updatedAt: row.updatedAt });
  }

  private addOpen(row: OtaSession): void {
    this.open.set(row.id, row);
    const ids = this.openByDeployment.get(row.deploymentId) ?? new Set<string>();
    ids.add(row.id);
    this.openByDeployment.set(row.deploymentId, ids);
  }

  private removeOpen(row: OtaSession): void {
    this.open.delete(row.id);
    this.openByDeployment.get(row.deploymentId)?.delete(row.id);
  }

  private changed(deploymentId: string): void {
    this.changes$.next({ kind: 'deployment', id: deploymentId });
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
