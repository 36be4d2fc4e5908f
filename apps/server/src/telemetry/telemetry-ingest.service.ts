import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  parseDeviceTopic,
  parseTelemetry,
  ProtocolError,
  serverFilter,
  TelemetryWindow,
} from '@fleetprune/protocol';
import { In, Repository } from 'typeorm';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Device } from '../devices/device.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { Deployment } from '../ota/deployment.entity';
import { DeviceRateLimiter } from './device-rate-limiter';
import { TelemetryWindowRow } from './telemetry-window.entity';

const FLUSH_MS = 250;
const MAX_BATCH = 500;

/**
 * Takes telemetry windows off MQTT, checks them (schema, rate, and that the artifact is one
 * the device runs or is being given), and writes them in batches; a repeated (device, seq)
 * is ignored, so QoS 1 redeliveries are stored once.
 */
@Injectable()
export class TelemetryIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Telemetry');
  private buffer: TelemetryWindowRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly limiter = new DeviceRateLimiter(5, 20);
  /** The artifact each device's last accepted window was about (known to be one it runs). */
  private readonly checked = new Map<string, string>();
  /** Windows accepted, and dropped by reason. */
  readonly counters = { accepted: 0, dropped: new Map<string, number>() };

  constructor(
    @InjectRepository(TelemetryWindowRow) private readonly windows: Repository<TelemetryWindowRow>,
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    private readonly gateway: MqttGatewayService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
    this.flushing = this.flushing.then(() => this.writeBatch());
    await this.flushing;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseDeviceTopic(topic);
    if (parsed?.channel !== 'telemetry') return;
    if (!this.limiter.allow(parsed.deviceId)) return this.drop('RATE_LIMITED');
    let window: TelemetryWindow;
    try {
      window = parseTelemetry(payload);
    } catch (error) {
      if (error instanceof ProtocolError) return this.drop(error.code);
      throw error;
    }
    void this.admit(parsed.deviceId, window).catch((error: unknown) =>
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    );
  }

  private async admit(deviceId: string, window: TelemetryWindow): Promise<void> {
    // A device reports on the same model window after window: look it up once, not per message.
    if (this.checked.get(deviceId) !== window.artifactId) {
      if (!(await this.knownArtifact(deviceId, window.artifactId))) return this.drop('UNKNOWN_ARTIFACT');
      this.checked.set(deviceId, window.artifactId);
    }
    const { v: _v, ...fields } = window;
    this.buffer.push(this.windows.create({ deviceId, ...fields, receivedAt: Date.now() }));
    if (this.buffer.length >= MAX_BATCH) void this.flush();
  }

  /** The device's active artifact, or the one an unfinished OTA session is giving it. */
  private async knownArtifact(deviceId: string, artifactId: string): Promise<boolean> {
    if (await this.devices.existsBy({ id: deviceId, activeArtifactId: artifactId })) return true;
    const open = await this.sessions.find({
      where: { deviceId, state: In(['offered', 'downloading', 'verifying']) },
      select: { deploymentId: true },
    });
    if (open.length === 0) return false;
    return this.sessions.manager.existsBy(Deployment, {
      id: In(open.map((s) => s.deploymentId)),
      artifactId,
    });
  }

  private async writeBatch(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, MAX_BATCH);
      await this.windows.createQueryBuilder().insert().values(batch).orIgnore().updateEntity(false).execute();
      this.counters.accepted += batch.length;
    }
  }

  private drop(reason: string): void {
    this.counters.dropped.set(reason, (this.counters.dropped.get(reason) ?? 0) + 1);
  }
}
