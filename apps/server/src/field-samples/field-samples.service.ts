import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CHANNELS,
  channelTopic,
  encodeDeviceCommand,
  MAX_SAMPLE_ITEMS,
  SAMPLE_DTYPES,
} from '@fleetprune/protocol';
import { IsNull, MoreThanOrEqual, Not } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { Device } from '../devices/device.entity';
import { DevicesService } from '../devices/devices.service';
import { parseDeploymentTarget } from '../ota/deployment-target';
import { assembleImageSet, FieldImageSet, pickImageSamples } from './field-image-set';
import { FieldSampleStore } from './field-sample-store';
import { FieldSampleRow } from './field-sample.entity';
import {
  FieldSampleStats,
  FieldSampleView,
  ListFieldSamplesQueryDto,
  RequestFieldSamplesDto,
} from './field-samples.dto';
import { FieldSamplesIngestService } from './field-samples-ingest.service';

/** Field samples as a dataset: listing, statistics, asking devices for more, and the image set re-pruning reads. */
@Injectable()
export class FieldSamplesService {
  constructor(
    private readonly store: FieldSampleStore,
    private readonly ingest: FieldSamplesIngestService,
    private readonly devices: DevicesService,
    private readonly gateway: MqttGatewayService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stored samples, newest first (metadata only). */
  async list(query: ListFieldSamplesQueryDto): Promise<FieldSampleView[]> {
    const qb = this.store.rows.createQueryBuilder('s');
    if (query.profile !== undefined) qb.andWhere('s.profile = :profile', { profile: query.profile });
    if (query.deviceId !== undefined) qb.andWhere('s.device_id = :deviceId', { deviceId: query.deviceId });
    if (query.labelledOnly) qb.andWhere('s.label IS NOT NULL');
    const rows = await qb
      .orderBy('s.id', 'DESC')
      .take(query.limit ?? 100)
      .getMany();
    return rows.map(toView);
  }

  /** Per profile: stored, labelled and misclassified samples; plus the ingest counters. */
  async stats(): Promise<FieldSampleStats> {
    const rows = await this.store.rows
      .createQueryBuilder('s')
      .select('s.profile', 'profile')
      .addSelect('COUNT(*)', 'count')
      .addSelect('SUM(CASE WHEN s.label IS NOT NULL THEN 1 ELSE 0 END)', 'labelled')
      .addSelect(
        'SUM(CASE WHEN s.label IS NOT NULL AND s.label != s.predicted THEN 1 ELSE 0 END)',
        'misclassified',
      )
      .groupBy('s.profile')
      .orderBy('s.profile', 'ASC')
      .getRawMany<Record<'profile' | 'count' | 'labelled' | 'misclassified', string | number>>();
    const { accepted, evicted, rejected } = this.ingest.counters;
    return {
      profiles: rows.map((r) => ({
        profile: String(r.profile),
        count: Number(r.count),
        labelled: Number(r.labelled),
        misclassified: Number(r.misclassified),
      })),
      accepted,
      evicted,
      rejected: { ...rejected },
    };
  }

  /**
   * Sends `upload-samples` to every online device of the target; answers how many were asked.
   * Offline devices are skipped: a QoS 1 command would reach them only if their session persisted.
   */
  async request(dto: RequestFieldSamplesDto): Promise<{ asked: number; deviceIds: string[] }> {
    const target = parseDeploymentTarget(dto.target);
    const online = (await this.devices.resolveTarget(target.kind, target.value)).filter(
      (d) => d.status === 'online',
    );
    const deviceIds = online.map((d) => d.id);
    await this.ask(deviceIds, dto.max ?? MAX_SAMPLE_ITEMS, dto.misclassifiedOnly ?? false);
    return { asked: deviceIds.length, deviceIds };
  }

  /**
   * Asks every device of `profile` running `artifactId` for up to `max` recent labelled
   * inputs (the closed loop, while a drift is investigated); answers how many were asked.
   */
  async requestFromModel(profile: string, artifactId: string, max: number): Promise<number> {
    const devices = await this.store.rows.manager.find(Device, {
      where: { profile, activeArtifactId: artifactId },
      select: { id: true },
    });
    await this.ask(
      devices.map((d) => d.id),
      max,
      false,
    );
    return devices.length;
  }

  private async ask(deviceIds: string[], max: number, misclassifiedOnly: boolean): Promise<void> {
    await Promise.all(
      deviceIds.map((id) =>
        this.gateway.publish(
          channelTopic(id, 'cmd'),
          encodeDeviceCommand({ v: 1, id: randomUUID(), type: 'upload-samples', max, misclassifiedOnly }),
          { qos: CHANNELS.cmd.qos },
        ),
      ),
    );
  }

  /** Deletes every stored sample of `profile`; answers how many went. */
  async deleteProfile(profile: string): Promise<{ deleted: number }> {
    await this.ingest.idle();
    const result = await this.store.rows.delete({ profile });
    return { deleted: result.affected ?? 0 };
  }

  /**
   * The profile's labelled uint8 samples of the most common shape, newest first, at most `max`
   * (default: the per-profile bound), received at or after `since` (epoch ms); undefined when
   * there are none. What re-pruning fine-tunes on.
   */
  async labelledImageSet(
    profile: string,
    options: { max?: number; since?: number } = {},
  ): Promise<FieldImageSet | undefined> {
    const rows = await this.store.rows.find({
      select: { id: true, label: true, shape: true },
      where: {
        profile,
        dtype: 'uint8',
        label: Not(IsNull()),
        ...(options.since === undefined ? {} : { receivedAt: MoreThanOrEqual(options.since) }),
      },
      order: { id: 'DESC' },
    });
    const choice = pickImageSamples(
      rows.map((r) => ({ id: r.id, label: r.label!, shape: r.shape })),
      options.max ?? this.config.fieldSamplesPerProfile,
    );
    if (!choice || choice.picked.length === 0) return undefined;
    const data = await this.store.data(choice.picked.map((s) => s.id));
    const set = assembleImageSet(choice.dims, choice.picked, data);
    return set.count > 0 ? set : undefined;
  }
}

function toView(row: FieldSampleRow): FieldSampleView {
  const bytes = row.shape.reduce((a, b) => a * b, 1) * SAMPLE_DTYPES[row.dtype];
  return { ...row, bytes };
}
