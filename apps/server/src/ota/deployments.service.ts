import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DEFAULT_CHUNK_SIZE } from '@fleetprune/protocol';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { Device } from '../devices/device.entity';
import { DevicesService } from '../devices/devices.service';
import { AppError } from '../errors/app-error';
import { ProfilesService } from '../profiles/profiles.service';
import {
  CreateDeploymentDto,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_CONCURRENT,
  DeploymentOptions,
  DeploymentView,
  OtaSessionView,
} from './deployment.dto';
import { parseDeploymentTarget } from './deployment-target';
import { Deployment, DeploymentStatus } from './deployment.entity';
import { checkArtifactFits, OtaArtifact } from './ota-artifact';
import { OtaArtifactCache } from './ota-artifact-cache.service';
import { OtaEngine } from './ota-engine.service';
import { OTA_SESSION_STATES, OtaSession, OtaSessionState } from './ota-session.entity';

/** Deployments as operators see them: create (with the profile check), list, inspect, cancel. */
@Injectable()
export class DeploymentsService {
  constructor(
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    private readonly devices: DevicesService,
    private readonly profiles: ProfilesService,
    private readonly cache: OtaArtifactCache,
    private readonly engine: OtaEngine,
  ) {}

  /**
   * Creates one session per targeted device after checking that the artifact fits every
   * device's profile; a device already updating gets this deployment instead (the older
   * session is cancelled).
   */
  async create(dto: CreateDeploymentDto): Promise<DeploymentView> {
    return this.createFor(dto.artifactId, await this.targetDevices(dto.target), dto.target, dto);
  }

  /** The devices a target string names; INVALID_INPUT when it names none. */
  async targetDevices(text: string): Promise<Device[]> {
    const target = parseDeploymentTarget(text);
    const devices = await this.devices.resolveTarget(target.kind, target.value);
    if (devices.length === 0)
      throw new AppError('INVALID_INPUT', `target ${text} matches no device (retired devices are skipped)`);
    return devices;
  }

  /** Refuses (INVALID_INPUT, one reason per profile) an artifact that some device's profile cannot run. */
  async assertFits(artifactId: string, devices: Device[]): Promise<OtaArtifact> {
    const artifact = await this.cache.get(artifactId);
    const unfit: { profile: string; devices: number; reasons: string[] }[] = [];
    for (const name of new Set(devices.map((d) => d.profile))) {
      const fit = checkArtifactFits(artifact, await this.profiles.get(name));
      if (!fit.fits)
        unfit.push({
          profile: name,
          devices: devices.filter((d) => d.profile === name).length,
          reasons: fit.reasons,
        });
    }
    if (unfit.length > 0)
      throw new AppError(
        'INVALID_INPUT',
        `artifact ${artifact.id} does not fit ${unfit.map((u) => `${u.profile} (${u.devices} device(s)): ${u.reasons.join('; ')}`).join(' | ')}`,
        { unfit },
      );
    return artifact;
  }

  /**
   * A deployment of `artifactId` to exactly `devices` (a rollout stage, a rollback), labelled
   * `label` where an operator's deployment shows its target.
   */
  async createFor(
    artifactId: string,
    devices: Device[],
    label: string,
    options: DeploymentOptions = {},
  ): Promise<DeploymentView> {
    const artifact = await this.assertFits(artifactId, devices);
    const dto = options;
    const id = randomUUID();
    const now = new Date().toISOString();
    const deployment = this.deployments.create({
      id,
      artifactId: artifact.id,
      modelVersion: artifact.modelVersion,
      target: label,
      status: 'active',
      paused: false,
      chunkSize: dto.chunkSize ?? DEFAULT_CHUNK_SIZE,
      maxConcurrent: dto.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
      maxAttempts: dto.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      size: artifact.bytes.length,
      sha256: artifact.sha256,
      signature: artifact.signature,
      finishedAt: null,
    });
    const rows = devices.map((device) =>
      this.sessions.create({
        id: randomUUID(),
        deploymentId: id,
        deviceId: device.id,
        session: 0,
        state: 'pending',
        attempts: 0,
        bytesServed: 0,
        reason: null,
        detail: null,
        updatedAt: now,
        finishedAt: null,
      }),
    );
    await this.deployments.manager.transaction(async (em) => {
      // One session per device: a newer deployment supersedes what a device was still getting.
      const deviceIds = devices.map((d) => d.id);
      for (let i = 0; i < deviceIds.length; i += 500)
        await cancelOpenSessions(
          em,
          { deviceId: In(deviceIds.slice(i, i + 500)) },
          `superseded by deployment ${id}`,
        );
      await em.save(Deployment, deployment);
      // Chunked so a 10,000-device rollout stays within SQLite's bound-parameter limit.
      // updateEntity(false): TypeORM's read-back of defaults after a multi-row SQLite insert
      // can write one row's id into another entity, and the engine keeps these objects.
      for (let i = 0; i < rows.length; i += 500)
        await em
          .createQueryBuilder()
          .insert()
          .into(OtaSession)
          .values(rows.slice(i, i + 500))
          .updateEntity(false)
          .execute();
    });
    await this.engine.sync();
    return this.get(id);
  }

  async list(status?: DeploymentStatus): Promise<DeploymentView[]> {
    const deployments = await this.deployments.find({
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      take: 200,
    });
    const counts = await this.countsByDeployment(deployments.map((d) => d.id));
    return deployments.map((d) => this.view(d, counts.get(d.id) ?? emptyCounts()));
  }

  async get(id: string): Promise<DeploymentView> {
    const deployment = await this.deployments.findOneBy({ id });
    if (!deployment) throw AppError.notFound('deployment', id);
    const rows = await this.sessions.find({ where: { deploymentId: id }, order: { deviceId: 'ASC' } });
    const sessions = rows.map((row) => this.sessionView(row));
    const counts = emptyCounts();
    for (const session of sessions) counts[session.state]++;
    return { ...this.view(deployment, counts), sessions };
  }

  /** Stops every unfinished session: offers withdrawn, downloading devices told to stop. */
  async cancel(id: string): Promise<DeploymentView> {
    const deployment = await this.deployments.findOneBy({ id });
    if (!deployment) throw AppError.notFound('deployment', id);
    if (deployment.status !== 'active')
      throw new AppError('CONFLICT', `deployment ${id} is already ${deployment.status}`);
    await this.deployments.manager.transaction(async (em) => {
      await em.update(Deployment, { id }, { status: 'cancelled', finishedAt: new Date().toISOString() });
      await cancelOpenSessions(em, { deploymentId: id }, 'deployment cancelled by an operator');
    });
    // The engine (in this replica or another) withdraws the offers and stops the downloads.
    await this.engine.sync();
    return this.get(id);
  }

  /** Stops (or restarts) new offers of an active deployment; downloads under way finish. */
  async setPaused(id: string, paused: boolean): Promise<void> {
    const result = await this.deployments.update({ id, status: 'active' }, { paused });
    if (!result.affected) return;
    await this.engine.sync();
  }

  private async countsByDeployment(ids: string[]): Promise<Map<string, Record<OtaSessionState, number>>> {
    const result = new Map<string, Record<OtaSessionState, number>>();
    if (ids.length === 0) return result;
    const raw = await this.sessions
      .createQueryBuilder('s')
      .select('s.deployment_id', 'deploymentId')
      .addSelect('s.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('s.deployment_id IN (:...ids)', { ids })
      .groupBy('s.deployment_id')
      .addGroupBy('s.state')
      .getRawMany<{ deploymentId: string; state: OtaSessionState; n: string | number }>();
    for (const r of raw) {
      const counts = result.get(r.deploymentId) ?? emptyCounts();
      counts[r.state] = Number(r.n);
      result.set(r.deploymentId, counts);
    }
    return result;
  }

  private view(d: Deployment, counts: Record<OtaSessionState, number>): DeploymentView {
    return {
      id: d.id,
      artifactId: d.artifactId,
      modelVersion: d.modelVersion,
      target: d.target,
      status: d.status,
      paused: d.paused,
      size: d.size,
      sha256: d.sha256,
      chunkSize: d.chunkSize,
      maxConcurrent: d.maxConcurrent,
      maxAttempts: d.maxAttempts,
      createdAt: d.createdAt.toISOString(),
      finishedAt: d.finishedAt,
      counts,
      devices: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  }

  private sessionView(row: OtaSession): OtaSessionView {
    return {
      deviceId: row.deviceId,
      ...this.engine.progressOf(row),
      attempts: row.attempts,
      reason: row.reason,
      detail: row.detail,
      updatedAt: row.updatedAt,
      finishedAt: row.finishedAt,
    };
  }
}

/** Marks unfinished sessions cancelled; the OTA engine acts on it at its next sync. */
async function cancelOpenSessions(
  em: EntityManager,
  where: FindOptionsWhere<OtaSession>,
  detail: string,
): Promise<void> {
  const now = new Date().toISOString();
  await em.update(
    OtaSession,
    { ...where, state: In(['pending', 'offered', 'downloading', 'verifying']) },
    { state: 'cancelled', reason: 'CANCELLED', detail, finishedAt: now, updatedAt: now },
  );
}

function emptyCounts(): Record<OtaSessionState, number> {
  return Object.fromEntries(OTA_SESSION_STATES.map((s) => [s, 0])) as Record<OtaSessionState, number>;
}
