import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  FieldSamples,
  parseDeviceTopic,
  parseFieldSamples,
  ProtocolError,
  sampleBytes,
  serverFilter,
} from '@fleetprune/protocol';
import { Repository } from 'typeorm';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Device } from '../devices/device.entity';
import { DeviceRateLimiter } from '../telemetry/device-rate-limiter';
import { FieldSampleStore } from './field-sample-store';

/** Uploads a device may send at once, and per second after that (they answer a command). */
const BURST = 4;
const PER_SECOND = 1;
/** Last `seq` remembered per device, so a QoS 1 redelivery is stored once. */
const REMEMBERED_DEVICES = 100_000;

/** Counts of what the ingest did since the server started. */
export interface FieldSampleCounters {
  /** Samples (items) stored. */
  accepted: number;
  /** Samples deleted to keep the per-device and per-profile bounds. */
  evicted: number;
  /** Messages refused, by reason (ProtocolError codes, RATE_LIMITED, UNKNOWN_DEVICE, UNKNOWN_ARTIFACT, DUPLICATE). */
  rejected: Record<string, number>;
}

/**
 * Takes `samples` messages off MQTT: checks the schema, the rate, and that the artifact is the
 * one the device runs; stores the items with their bytes, then trims the device and its
 * profile to their bounds (oldest first). Writes run one at a time, so bounds hold exactly.
 */
@Injectable()
export class FieldSamplesIngestService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FieldSamples');
  private readonly limiter = new DeviceRateLimiter(PER_SECOND, BURST);
  private readonly lastSeq = new Map<string, number>();
  private writes: Promise<void> = Promise.resolve();
  readonly counters: FieldSampleCounters = { accepted: 0, evicted: 0, rejected: {} };

  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly store: FieldSampleStore,
    private readonly gateway: MqttGatewayService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.gateway.ready;
    const filter = serverFilter('samples', { sharedGroup: this.config.mqttSharedGroup });
    await this.gateway.subscribe([{ filter, qos: 1 }], (topic, payload) => this.onMessage(topic, payload));
  }

  /** Resolves once every message received so far is stored (or refused). */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.writes;
      await seen;
    } while (seen !== this.writes);
  }

  /** Handles one `samples` message (the MQTT handler; public for tests that bypass the broker). */
  onMessage(topic: string, payload: Buffer): void {
    const where = parseDeviceTopic(topic);
    if (where?.channel !== 'samples') return;
    if (!this.limiter.allow(where.deviceId)) return this.reject('RATE_LIMITED');
    let message: FieldSamples;
    try {
      message = parseFieldSamples(payload);
    } catch (error) {
      if (error instanceof ProtocolError) return this.reject(error.code);
      throw error;
    }
    const receivedAt = Date.now();
    this.writes = this.writes
      .then(() => this.admit(where.deviceId, message, receivedAt))
      .catch((error: unknown) =>
        this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error)),
      );
  }

  private async admit(deviceId: string, message: FieldSamples, receivedAt: number): Promise<void> {
    if (this.lastSeq.get(deviceId) === message.seq) return this.reject('DUPLICATE');
    const device = await this.devices.findOne({
      where: { id: deviceId },
      select: { id: true, profile: true, activeArtifactId: true },
      relations: { tags: false },
    });
    if (!device) return this.reject('UNKNOWN_DEVICE');
    // Samples only mean something against the model that produced `predicted`: the active one.
    if (device.activeArtifactId !== message.artifactId) return this.reject('UNKNOWN_ARTIFACT');
    await this.store.insert(
      message.items.map((item) => ({
        deviceId,
        profile: device.profile,
        artifactId: message.artifactId,
        modelVersion: message.modelVersion,
        label: item.label ?? null,
        predicted: item.predicted,
        confidence: item.confidence,
        shape: item.shape,
        dtype: item.dtype,
        data: sampleBytes(item),
        capturedAt: item.capturedAt,
        receivedAt,
      })),
    );
    if (this.lastSeq.size >= REMEMBERED_DEVICES) this.lastSeq.clear();
    this.lastSeq.set(deviceId, message.seq);
    this.counters.accepted += message.items.length;
    this.counters.evicted += await this.store.keepNewest(
      'device_id',
      deviceId,
      this.config.fieldSamplesPerDevice,
    );
    this.counters.evicted += await this.store.keepNewest(
      'profile',
      device.profile,
      this.config.fieldSamplesPerProfile,
    );
  }

  private reject(reason: string): void {
    this.counters.rejected[reason] = (this.counters.rejected[reason] ?? 0) + 1;
  }
}
