import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  parseDeviceTopic,
  parseTelemetry,
  ProtocolError,
  serverFilter,
  TelemetryWindow,
} from '@fleetprune/protocol';
import { Subject } from 'rxjs';
import { DataSource, Repository } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Device } from '../devices/device.entity';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { DeviceRateLimiter } from './device-rate-limiter';
import { PendingWindow, TelemetryBatchStore } from './telemetry-batch-store';
import { TelemetryAdmission } from './telemetry-admission';

/** Longest a window waits in the buffer before its batch is written (low traffic). */
const LINGER_MS = 100;
/** A batch is written as soon as this many windows wait and the writer is free. */
const MIN_BATCH = 500;
/** Largest batch one transaction takes (the rest waits for the next one). */
const MAX_BATCH = 2000;

/** Counters since boot, as GET /api/telemetry/stats shows them. */
export interface TelemetryStats {
  /** Windows stored (each (device, seq) once). */
  accepted: number;
  /** Windows that repeated a stored (device, seq): QoS 1 redeliveries, ignored. */
  duplicates: number;
  /** Refused windows by reason: ProtocolError codes, RATE_LIMITED, UNKNOWN_ARTIFACT, UNKNOWN_MODEL_VERSION. */
  rejected: Record<string, number>;
}

/**
 * Takes telemetry windows off MQTT, checks them (schema, rate, and that the artifact and model
 * version are ones the device runs or is being given), and writes them with their rollups in
 * batches; a repeated (device, seq) is stored and counted once.
 */
@Injectable()
export class TelemetryIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Telemetry');
  private buffer: PendingWindow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Writes queued or running: a full buffer starts one only when none is. */
  private writes = 0;
  private readonly limiter = new DeviceRateLimiter(5, 20);
  private readonly admission: TelemetryAdmission;
  private readonly store: TelemetryBatchStore;
  private accepted = 0;
  private duplicates = 0;
  private readonly rejected = new Map<string, number>();
  /** Ids of the devices whose windows a batch just stored (dashboard live updates). */
  readonly stored$ = new Subject<string[]>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @InjectRepository(Device) devices: Repository<Device>,
    @InjectRepository(OtaSession) sessions: Repository<OtaSession>,
    @InjectRepository(Deployment) deployments: Repository<Deployment>,
    @InjectRepository(Artifact) artifacts: Repository<Artifact>,
    private readonly gateway: MqttGatewayService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.admission = new TelemetryAdmission({ devices, sessions, deployments, artifacts });
    this.store = new TelemetryBatchStore(dataSource, config.telemetryBucketMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.gateway.ready;
    const filter = serverFilter('telemetry', { sharedGroup: this.config.mqttSharedGroup });
    await this.gateway.subscribe([{ filter, qos: 1 }], (topic, payload) => this.onMessage(topic, payload));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Waits until everything received so far is in the database. */
  async flush(): Promise<void> {
    await this.schedule(true);
  }

  /** Counters since boot. */
  stats(): TelemetryStats {
    return {
      accepted: this.accepted,
      duplicates: this.duplicates,
      rejected: Object.fromEntries([...this.rejected].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (parsed?.channel !== 'telemetry') return;
    const deviceId = parsed.deviceId;
    if (!this.limiter.allow(deviceId)) return this.reject('RATE_LIMITED');
    let window: TelemetryWindow;
    try {
      window = parseTelemetry(payload);
    } catch (error) {
      if (error instanceof ProtocolError) return this.reject(error.code);
      throw error;
    }
    const receivedAt = Date.now();
    // A device reports on the model it was admitted for window after window: answer that
    // from the cache without a promise; only a miss goes to the database.
    const profile = this.admission.cachedProfile(deviceId, window.artifactId, window.modelVersion);
    if (profile !== undefined) return this.enqueue(deviceId, window, profile, receivedAt);
    this.admission.admit(deviceId, window.artifactId, window.modelVersion).then(
      (admission) =>
        admission.ok
          ? this.enqueue(deviceId, window, admission.profile, receivedAt)
          : this.reject(admission.reason),
      (error: unknown) =>
        this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
  }

  /**
   * Buffers an admitted window. The batch is written once MIN_BATCH wait and the writer is
   * free (under load, batches follow each other back to back and grow with the backlog), or
   * LINGER_MS after the first of them arrived, whichever comes first.
   */
  private enqueue(deviceId: string, w: TelemetryWindow, profile: string, receivedAt: number): void {
    this.buffer.push({
      deviceId,
      seq: w.seq,
      artifactId: w.artifactId,
      modelVersion: w.modelVersion,
      profile,
      receivedAt,
      windowStart: w.windowStart,
      windowEnd: w.windowEnd,
      samples: w.samples,
      labelled: w.labelled,
      correct: w.correct,
      confidenceHistogram: w.confidenceHistogram,
      latencyMeanMs: w.latencyMeanMs,
      latencyP95Ms: w.latencyP95Ms,
      arenaUsedBytes: w.arenaUsedBytes,
    });
    if (this.buffer.length >= MIN_BATCH && this.writes === 0) void this.schedule(false);
    else this.armLinger();
  }

  /** Queues a write after the one in progress; `drain` writes even a remainder under MIN_BATCH. */
  private schedule(drain: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writes++;
    this.flushing = this.flushing.then(() => this.writeBatches(drain)).finally(() => this.writes--);
    return this.flushing;
  }

  private async writeBatches(drain: boolean): Promise<void> {
    // A remainder under MIN_BATCH waits for its linger timer, so batches stay large while a
    // burst goes on.
    while (this.buffer.length >= (drain ? 1 : MIN_BATCH)) {
      const batch = this.buffer.splice(0, MAX_BATCH);
      try {
        const outcome = await this.store.write(batch);
        this.accepted += outcome.inserted;
        this.duplicates += outcome.duplicates;
        if (outcome.inserted > 0 && this.stored$.observed)
          this.stored$.next([...new Set(batch.map((w) => w.deviceId))]);
      } catch (error) {
        // The devices will not resend: say how many were lost and keep ingesting.
        this.logger.error(
          `lost ${batch.length} telemetry windows: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.reject('STORE_FAILED', batch.length);
      }
    }
    if (this.buffer.length > 0) this.armLinger();
  }

  private armLinger(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.schedule(true), LINGER_MS);
    this.timer.unref();
  }

  private reject(reason: string, n = 1): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + n);
  }
}
