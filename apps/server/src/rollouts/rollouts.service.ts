import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Device } from '../devices/device.entity';
import { DevicesService } from '../devices/devices.service';
import { AppError } from '../errors/app-error';
import { EventsService } from '../events/events.service';
import { DEFAULT_MAX_CONCURRENT } from '../ota/deployment.dto';
import { Deployment, DeploymentStatus } from '../ota/deployment.entity';
import { profileOfTarget } from '../ota/deployment-target';
import { DeploymentsService } from '../ota/deployments.service';
import { OtaSession } from '../ota/ota-session.entity';
import { CreateRolloutDto, RolloutView } from './rollout.dto';
import { Rollout, RolloutKind } from './rollout.entity';
import { rolloutOrder, stageEnd, stageSlice, stagesProblem } from './rollout-plan';

/**
 * Staged rollouts: each stage is a deployment to the next slice of the devices. Stages
 * advance by themselves (autoAdvance), by an operator's resume, or by the closed loop's
 * canary verdict; a stage with failures pauses the rollout. Mutations run one at a time so
 * the periodic step and an operator's request never both start a stage.
 */
@Injectable()
export class RolloutsService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectRepository(Rollout) private readonly rollouts: Repository<Rollout>,
    @InjectRepository(Deployment) private readonly deploymentRows: Repository<Deployment>,
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    private readonly deployments: DeploymentsService,
    private readonly devices: DevicesService,
    private readonly events: EventsService,
  ) {}

  /** Checks the artifact fits every targeted device, fixes the device order, starts stage 1. */
  create(dto: CreateRolloutDto, kind: RolloutKind = 'manual'): Promise<RolloutView> {
    return this.serial(async () => {
      const stages = dto.stages ?? [100];
      const problem = stagesProblem(stages);
      if (problem) throw new AppError('INVALID_INPUT', `stages ${JSON.stringify(stages)}: ${problem}`);
      const devices = await this.deployments.targetDevices(dto.target);
      const artifact = await this.deployments.assertFits(dto.artifactId, devices);
      const id = randomUUID();
      const now = new Date().toISOString();
      const rollout = this.rollouts.create({
        id,
        artifactId: artifact.id,
        modelVersion: artifact.modelVersion,
        target: dto.target,
        kind,
        stages,
        stageIndex: 0,
        status: 'running',
        autoAdvance: dto.autoAdvance ?? true,
        deviceIds: rolloutOrder(
          id,
          devices.map((d) => d.id),
        ),
        previousArtifacts: Object.fromEntries(devices.map((d) => [d.id, d.activeArtifactId])),
        deploymentIds: [],
        rollbackDeploymentIds: [],
        maxConcurrent: dto.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
        reason: null,
        updatedAt: now,
        finishedAt: null,
      });
      await this.rollouts.save(rollout);
      await this.events.record({
        type: 'rollout_started',
        subject: `rollout:${id}`,
        profile: profileOfTarget(dto.target),
        message: `${kind} rollout of ${artifact.modelVersion} to ${dto.target}: ${devices.length} device(s) in stages ${stages.join('/')}%`,
        evidence: {
          artifactId: artifact.id,
          modelVersion: artifact.modelVersion,
          devices: devices.length,
          stages,
        },
      });
      await this.startStage(rollout, 0);
      return this.view(rollout);
    });
  }

  async list(): Promise<RolloutView[]> {
    const rows = await this.rollouts.find({ order: { createdAt: 'DESC' }, take: 200 });
    return Promise.all(rows.map((r) => this.view(r)));
  }

  async get(id: string): Promise<RolloutView> {
    return this.view(await this.load(id));
  }

  /** The newest canary rollout of an artifact, if one was made (so a retried step does not make two). */
  findCanary(artifactId: string): Promise<Rollout | null> {
    return this.rollouts.findOne({ where: { artifactId, kind: 'canary' }, order: { createdAt: 'DESC' } });
  }

  /** The stored rollout (for the closed loop). */
  async load(id: string): Promise<Rollout> {
    const rollout = await this.rollouts.findOneBy({ id });
    if (!rollout) throw AppError.notFound('rollout', id);
    return rollout;
  }

  /** Stops new offers (downloads under way finish) and holds the next stage. */
  pause(id: string, reason = 'paused by an operator'): Promise<RolloutView> {
    return this.serial(async () => {
      const rollout = await this.load(id);
      if (rollout.status !== 'running') throw conflict(rollout, 'pause');
      await this.deployments.setPaused(rollout.deploymentIds[rollout.stageIndex], true);
      await this.save(rollout, { status: 'paused', reason });
      await this.record(rollout, 'rollout_paused', reason);
      return this.view(rollout);
    });
  }

  /**
   * Continues: offers again, and starts the next stage if the current one has finished (this
   * is also how a gated stage is promoted).
   */
  resume(id: string, reason = 'resumed by an operator'): Promise<RolloutView> {
    return this.serial(async () => {
      const rollout = await this.load(id);
      if (rollout.status !== 'running' && rollout.status !== 'paused') throw conflict(rollout, 'resume');
      if (rollout.status === 'paused') {
        await this.deployments.setPaused(rollout.deploymentIds[rollout.stageIndex], false);
        await this.save(rollout, { status: 'running', reason: null });
        await this.record(rollout, 'rollout_resumed', reason);
      }
      if ((await this.stageStatus(rollout)) !== 'active') await this.advance(rollout, reason);
      return this.view(rollout);
    });
  }

  /** Cancels what is still downloading; devices keep whatever they have activated. */
  abort(id: string, reason = 'aborted by an operator'): Promise<RolloutView> {
    return this.serial(async () => {
      const rollout = await this.load(id);
      if (rollout.status !== 'running' && rollout.status !== 'paused') throw conflict(rollout, 'abort');
      await this.cancelCurrent(rollout);
      await this.save(rollout, { status: 'aborted', reason, finishedAt: new Date().toISOString() });
      await this.record(rollout, 'rollout_aborted', reason);
      return this.view(rollout);
    });
  }

  /**
   * Puts the previous artifact back on every device this rollout reached (one deployment per
   * previous artifact); devices that had none keep the new one and are listed in the event.
   */
  rollback(id: string, reason = 'rolled back by an operator'): Promise<RolloutView> {
    return this.serial(async () => {
      const rollout = await this.load(id);
      if (rollout.status === 'rolled_back') throw conflict(rollout, 'roll back');
      const verifying = await this.verifyingDevices(rollout);
      await this.cancelCurrent(rollout);
      const reached = rollout.deviceIds.slice(
        0,
        stageEnd(rollout.stages, rollout.stageIndex, rollout.deviceIds.length),
      );
      const changed = new Set([
        ...verifying,
        ...(await this.devicesById(reached))
          .filter((d) => d.activeArtifactId === rollout.artifactId)
          .map((d) => d.id),
      ]);
      const byPrevious = new Map<string, string[]>();
      const without: string[] = [];
      for (const deviceId of reached) {
        const previous = rollout.previousArtifacts[deviceId];
        // Untouched devices keep what they run: a device that never got the model, or one an
        // operator has since given another, is not pulled back.
        if (previous === rollout.artifactId || !changed.has(deviceId)) continue;
        if (!previous) without.push(deviceId);
        else byPrevious.set(previous, [...(byPrevious.get(previous) ?? []), deviceId]);
      }
      const created: string[] = [];
      for (const [artifactId, ids] of byPrevious) {
        const devices = await this.devicesById(ids);
        if (devices.length === 0) continue;
        const deployment = await this.deployments.createFor(artifactId, devices, `rollback:${rollout.id}`, {
          maxConcurrent: rollout.maxConcurrent,
        });
        created.push(deployment.id);
      }
      await this.save(rollout, {
        status: 'rolled_back',
        reason,
        rollbackDeploymentIds: created,
        finishedAt: new Date().toISOString(),
      });
      await this.record(rollout, 'rollout_rolled_back', reason, {
        devices: [...byPrevious.values()].reduce((n, ids) => n + ids.length, 0),
        deployments: created,
        withoutPrevious: without,
      });
      return this.view(rollout);
    });
  }

  /** Advances running rollouts whose stage finished: the next stage, completion, or a pause on failures. */
  step(): Promise<void> {
    return this.serial(async () => {
      for (const rollout of await this.rollouts.findBy({ status: 'running' })) {
        const status = await this.stageStatus(rollout);
        if (status === 'active') continue;
        if (status !== 'completed') {
          const reason = await this.stageFailure(rollout, status);
          await this.save(rollout, { status: 'paused', reason });
          await this.record(rollout, 'rollout_paused', reason);
        } else if (rollout.stageIndex === rollout.stages.length - 1) {
          await this.save(rollout, { finishedAt: new Date().toISOString(), status: 'completed' });
          await this.record(rollout, 'rollout_completed', `every stage of ${rollout.modelVersion} completed`);
        } else if (rollout.autoAdvance) {
          await this.advance(rollout, `stage ${rollout.stageIndex + 1} completed`);
        }
      }
    });
  }

  /** Where the stage under way stands; a stage that had no devices left counts as completed. */
  async stageStatus(rollout: Rollout): Promise<DeploymentStatus> {
    const id = rollout.deploymentIds[rollout.stageIndex];
    if (!id) return 'completed';
    const deployment = await this.deploymentRows.findOne({ where: { id }, select: { status: true } });
    return deployment?.status ?? 'cancelled';
  }

  private async advance(rollout: Rollout, reason: string): Promise<void> {
    if (rollout.stageIndex >= rollout.stages.length - 1) return;
    await this.startStage(rollout, rollout.stageIndex + 1, reason);
  }

  private async startStage(rollout: Rollout, index: number, reason?: string): Promise<void> {
    const ids = stageSlice(rollout.stages, index, rollout.deviceIds);
    const devices = await this.devicesById(ids);
    // A stage whose devices were all retired since still counts as a (trivially) done stage.
    const deployment =
      devices.length > 0
        ? await this.deployments.createFor(
            rollout.artifactId,
            devices,
            `rollout:${rollout.id}#${index + 1}`,
            {
              maxConcurrent: rollout.maxConcurrent,
            },
          )
        : undefined;
    const deploymentIds = [...rollout.deploymentIds];
    deploymentIds[index] = deployment?.id ?? '';
    await this.save(rollout, { stageIndex: index, deploymentIds });
    await this.record(
      rollout,
      'rollout_stage_started',
      `stage ${index + 1} of ${rollout.stages.length} (${rollout.stages[index]}%): ${devices.length} more device(s)${reason ? `; ${reason}` : ''}`,
      { stage: index + 1, devices: devices.length, deploymentId: deployment?.id ?? null },
    );
  }

  private async stageFailure(rollout: Rollout, status: DeploymentStatus): Promise<string> {
    const rows = await this.sessions
      .createQueryBuilder('s')
      .select('s.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .where('s.deployment_id = :id', { id: rollout.deploymentIds[rollout.stageIndex] })
      .groupBy('s.state')
      .getRawMany<{ state: string; n: string | number }>();
    const counts = rows.map((r) => `${r.state} ${Number(r.n)}`).join(', ');
    return `stage ${rollout.stageIndex + 1} ended ${status} (${counts}); resume to go on, or roll back`;
  }

  private async cancelCurrent(rollout: Rollout): Promise<void> {
    const id = rollout.deploymentIds[rollout.stageIndex];
    if (!id) return;
    const deployment = await this.deploymentRows.findOneBy({ id });
    if (deployment?.status === 'active') await this.deployments.cancel(id);
  }

  /** Devices whose session of this rollout had every byte: they may activate even after a cancel. */
  private async verifyingDevices(rollout: Rollout): Promise<string[]> {
    const deploymentIds = rollout.deploymentIds.filter((id) => id !== '');
    if (deploymentIds.length === 0) return [];
    const rows = await this.sessions.find({
      where: { deploymentId: In(deploymentIds), state: 'verifying' },
      select: { deviceId: true },
    });
    return rows.map((r) => r.deviceId);
  }

  private async devicesById(ids: string[]): Promise<Device[]> {
    const found: Device[] = [];
    for (let i = 0; i < ids.length; i += 500)
      found.push(...(await this.deploymentRows.manager.findBy(Device, { id: In(ids.slice(i, i + 500)) })));
    return found.filter((d) => d.status !== 'retired');
  }

  private async save(rollout: Rollout, changes: Partial<Rollout>): Promise<void> {
    Object.assign(rollout, changes, { updatedAt: new Date().toISOString() });
    await this.rollouts.save(rollout);
  }

  private async record(
    rollout: Rollout,
    type:
      | 'rollout_paused'
      | 'rollout_resumed'
      | 'rollout_aborted'
      | 'rollout_completed'
      | 'rollout_rolled_back'
      | 'rollout_stage_started',
    message: string,
    evidence: Record<string, unknown> = {},
  ): Promise<void> {
    await this.events.record({
      type,
      subject: `rollout:${rollout.id}`,
      profile: profileOfTarget(rollout.target),
      message: `rollout ${rollout.id.slice(0, 8)} (${rollout.modelVersion}): ${message}`,
      evidence: { artifactId: rollout.artifactId, stageIndex: rollout.stageIndex, ...evidence },
    });
  }

  private async view(r: Rollout): Promise<RolloutView> {
    const n = r.deviceIds.length;
    const stageStatus = await this.stageStatus(r);
    return {
      id: r.id,
      artifactId: r.artifactId,
      modelVersion: r.modelVersion,
      target: r.target,
      kind: r.kind,
      status: r.status,
      stages: r.stages,
      stageIndex: r.stageIndex,
      autoAdvance: r.autoAdvance,
      stageStatus,
      awaitingAdvance:
        r.status === 'running' && stageStatus === 'completed' && r.stageIndex < r.stages.length - 1,
      devices: n,
      stageDevices: r.stages.slice(0, r.stageIndex + 1).map((_, i) => stageEnd(r.stages, i, n)),
      deploymentIds: r.deploymentIds,
      rollbackDeploymentIds: r.rollbackDeploymentIds,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt,
      finishedAt: r.finishedAt,
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function conflict(rollout: Rollout, action: string): AppError {
  return new AppError('CONFLICT', `cannot ${action} rollout ${rollout.id}: it is ${rollout.status}`);
}
