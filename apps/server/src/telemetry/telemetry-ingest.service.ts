import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  parseDeviceTopic,
  parseTelemetry,
  ProtocolError,
  serverFilter,
  TelemetryWindow,
} from '@fleetprune/protocol';
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

const FLUSH_MS = 250;
const MAX_BATCH = 500;

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
  private readonly limiter = new DeviceRateLimiter(5, 20);
  private readonly admission: TelemetryAdmission;
  private readonly store: TelemetryBatchStore;
  private accepted = 0;
  private duplicates = 0;
  private readonly rejected = new Map<string, number>();

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
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Waits until everything received so far is in the database. */
  async flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatches());
    await this.flushing;
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
    if (!this.limiter.allow(parsed.deviceId)) return this.reject('RATE_LIMITED');
    let window: TelemetryWindow;
    try {
      window = parseTelemetry(payload);
    } catch (error) {
      if (error instanceof ProtocolError) return this.reject(error.code);
      throw error;
    }
    const receivedAt = Date.now();
    void this.admit(parsed.deviceId, window, receivedAt).catch((error: unknown) =>
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
  }

  private async admit(deviceId: string, window: TelemetryWindow, receivedAt: number): Promise<void> {
    const admission = await this.admission.admit(deviceId, window.artifactId, window.modelVersion);
    if (!admission.ok) return this.reject(admission.reason);
    const { v: _v, ...fields } = window;
    this.buffer.push({ deviceId, ...fields, profile: admission.profile, receivedAt });
    if (this.buffer.length >= MAX_BATCH) void this.flush();
  }

  private async writeBatches(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, MAX_BATCH);
      try {
        const outcome = await this.store.write(batch);
        this.accepted += outcome.inserted;
        this.duplicates += outcome.duplicates;
      } catch (error) {
        // The devices will not resend: say how many were lost and keep ingesting.
        this.logger.error(
          `lost ${batch.length} telemetry windows: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.reject('STORE_FAILED', batch.length);
      }
    }
  }

  private reject(reason: string, n = 1): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + n);
  }
}
