import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { deviceTopicPrefix } from '@fleetprune/protocol';
import { Subject } from 'rxjs';
import { DataSource, Repository } from 'typeorm';
import { BatchedWriter } from '../database/batched-writer';
import { AppError } from '../errors/app-error';
import { DeviceProfile } from '../profiles/device-profile.entity';
import { ProfilesService } from '../profiles/profiles.service';
import { generateSecret, hashSecret, secretMatches } from './device-credentials';
import { DeviceTag } from './device-tag.entity';
import { Device, DeviceStatus } from './device.entity';
import {
  DeviceCredentialsView,
  DeviceView,
  ListDevicesQuery,
  RegisterDeviceDto,
  UpdateDeviceDto,
} from './device.dto';

/** Device registry: identity, credentials, grouping and presence. */
@Injectable()
export class DevicesService {
  /** Emits the id of a device whose credentials stopped being valid (retired or rotated). */
  readonly revoked$ = new Subject<string>();
  private readonly writer: BatchedWriter<Device>;

  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly dataSource: DataSource,
    private readonly profiles: ProfilesService,
  ) {
    this.writer = new BatchedWriter(devices);
  }

  async register(
    dto: RegisterDeviceDto,
  ): Promise<{ id: string; device: DeviceView; mqtt: DeviceCredentialsView }> {
    await this.profiles.get(dto.profile);
    await this.assertNameFree(dto.name);
    const id = randomUUID();
    const password = generateSecret();
    const device = this.devices.create({
      id,
      name: dto.name,
      profile: dto.profile,
      group: dto.group ?? null,
      tags: uniqueTags(dto.tags).map((tag) => ({ deviceId: id, tag })),
      status: 'provisioned',
      credentialHash: hashSecret(password),
      lastSeenAt: null,
      activeArtifactId: null,
      activeModelVersion: null,
    });
    await this.devices.save(device);
    return { id, device: toView(device), mqtt: credentialsView(id, password) };
  }

  async list(query: ListDevicesQuery): Promise<{ total: number; items: DeviceView[] }> {
    const qb = this.devices.createQueryBuilder('d').leftJoinAndSelect('d.tags', 't');
    if (query.profile) qb.andWhere('d.profile = :profile', { profile: query.profile });
    if (query.group) qb.andWhere('d.group_name = :group', { group: query.group });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    if (query.tag) {
      qb.andWhere('d.id IN (SELECT dt.device_id FROM device_tags dt WHERE dt.tag = :tag)', {
        tag: query.tag,
      });
    }
    const [items, total] = await qb
      .orderBy('d.name', 'ASC')
      .skip(query.offset ?? 0)
      .take(query.limit ?? 100)
      .getManyAndCount();
    return { total, items: items.map(toView) };
  }

  /** Groups and tags in use, with how many devices (and how many online) carry each. */
  async labels(kind: 'group' | 'tag'): Promise<{ name: string; devices: number; online: number }[]> {
    const qb =
      kind === 'group'
        ? this.devices
            .createQueryBuilder('d')
            .select('d.group_name', 'label')
            .where('d.group_name IS NOT NULL')
        : this.devices.createQueryBuilder('d').innerJoin('d.tags', 't').select('t.tag', 'label');
    const rows = await qb
      .andWhere('d.status != :retired', { retired: 'retired' })
      .addSelect('COUNT(*)', 'devices')
      .addSelect(`SUM(CASE WHEN d.status = 'online' THEN 1 ELSE 0 END)`, 'online')
      // Grouped by an alias that no column has: SQLite resolves a bare "name" to d.name.
      .groupBy('label')
      .orderBy('label', 'ASC')
      .getRawMany<{ label: string; devices: string | number; online: string | number }>();
    return rows.map((r) => ({ name: r.label, devices: Number(r.devices), online: Number(r.online) }));
  }

  async get(id: string): Promise<DeviceView> {
    return toView(await this.find(id));
  }

  async update(id: string, dto: UpdateDeviceDto): Promise<DeviceView> {
    const device = await this.find(id);
    if (device.status === 'retired') throw new AppError('CONFLICT', `device ${id} is retired`);
    if (dto.profile !== undefined) await this.profiles.get(dto.profile);
    if (dto.name !== undefined && dto.name !== device.name) await this.assertNameFree(dto.name);
    await this.dataSource.transaction(async (em) => {
      if (dto.tags !== undefined) {
        await em.delete(DeviceTag, { deviceId: id });
        await em.insert(
          DeviceTag,
          uniqueTags(dto.tags).map((tag) => ({ deviceId: id, tag })),
        );
      }
      const changes: Partial<Device> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.profile !== undefined) changes.profile = dto.profile;
      if (dto.group !== undefined) changes.group = dto.group;
      if (Object.keys(changes).length > 0) await em.update(Device, { id }, changes);
    });
    return this.get(id);
  }

  /** Retiring revokes the device's credentials for good and disconnects it. */
  async retire(id: string): Promise<DeviceView> {
    await this.find(id);
    await this.devices.update({ id }, { status: 'retired' });
    this.revoked$.next(id);
    return this.get(id);
  }

  /** Issues a new password; the old one stops working at once. */
  async rotateCredentials(id: string): Promise<DeviceCredentialsView> {
    const device = await this.find(id);
    if (device.status === 'retired') throw new AppError('CONFLICT', `device ${id} is retired`);
    const password = generateSecret();
    await this.devices.update({ id }, { credentialHash: hashSecret(password) });
    this.revoked$.next(id);
    return credentialsView(id, password);
  }

  /** The device these MQTT credentials belong to, or undefined when wrong or retired. */
  async authenticate(username: string, password: Buffer): Promise<Device | undefined> {
    const device = await this.devices.findOne({ where: { id: username }, relations: { tags: false } });
    if (!device || device.status === 'retired') return undefined;
    return secretMatches(password, device.credentialHash) ? device : undefined;
  }

  /** Records presence seen by the broker; retired devices stay retired. */
  async markPresence(id: string, status: Extract<DeviceStatus, 'online' | 'offline'>): Promise<void> {
    await this.devices
      .createQueryBuilder()
      .update(Device)
      .set({ status, lastSeenAt: new Date().toISOString() })
      .where('id = :id AND status != :retired', { id, retired: 'retired' })
      .execute();
  }

  /** Records the model a device reports running (batched with other devices' reports). */
  recordActiveModel(id: string, artifactId: string, modelVersion: string | null): Promise<void> {
    return this.writer.write(id, { activeArtifactId: artifactId, activeModelVersion: modelVersion });
  }

  /** Non-retired devices a deployment target addresses, with their profile names. */
  async resolveTarget(kind: 'device' | 'group' | 'tag' | 'profile', value: string): Promise<Device[]> {
    const qb = this.devices.createQueryBuilder('d').where('d.status != :retired', { retired: 'retired' });
    if (kind === 'device') qb.andWhere('d.id = :value', { value });
    if (kind === 'group') qb.andWhere('d.group_name = :value', { value });
    if (kind === 'profile') qb.andWhere('d.profile = :value', { value });
    if (kind === 'tag')
      qb.andWhere('d.id IN (SELECT dt.device_id FROM device_tags dt WHERE dt.tag = :value)', { value });
    return qb.orderBy('d.name', 'ASC').getMany();
  }

  /** The runtime of each device's profile (TFLite Micro or full TFLite), in one query. */
  async runtimesOf(ids: string[]): Promise<Map<string, DeviceProfile['runtime']>> {
    const result = new Map<string, DeviceProfile['runtime']>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.devices
        .createQueryBuilder('d')
        .innerJoin(DeviceProfile, 'p', 'p.name = d.profile')
        .select('d.id', 'id')
        .addSelect('p.runtime', 'runtime')
        .where('d.id IN (:...ids)', { ids: ids.slice(i, i + 500) })
        .getRawMany<{ id: string; runtime: DeviceProfile['runtime'] }>();
      for (const row of rows) result.set(row.id, row.runtime);
    }
    return result;
  }

  private async find(id: string): Promise<Device> {
    const device = await this.devices.findOneBy({ id });
    if (!device) throw AppError.notFound('device', id);
    return device;
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.devices.existsBy({ name })) {
      throw new AppError('CONFLICT', `a device named ${JSON.stringify(name)} already exists`);
    }
  }
}

function uniqueTags(tags: string[] | undefined): string[] {
  return [...new Set(tags ?? [])].sort();
}

function credentialsView(id: string, password: string): DeviceCredentialsView {
  return { username: id, password, clientId: id, topicPrefix: deviceTopicPrefix(id) };
}

function toView(device: Device): DeviceView {
  return {
    id: device.id,
    name: device.name,
    profile: device.profile,
    group: device.group,
    tags: (device.tags ?? []).map((t) => t.tag).sort(),
    status: device.status,
    lastSeenAt: device.lastSeenAt,
    activeArtifactId: device.activeArtifactId,
    activeModelVersion: device.activeModelVersion,
    createdAt: device.createdAt.toISOString(),
  };
}
