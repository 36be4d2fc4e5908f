import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Like, Repository } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { FieldSamplesService } from '../field-samples/field-samples.service';
import { EventsService } from '../events/events.service';
import { EventType } from '../events/event-types';
import { ModelsService } from '../models/models.service';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';
import { PruningJobsService } from '../pruning-jobs/pruning-jobs.service';
import { RolloutsService } from '../rollouts/rollouts.service';
import { decideCanary, pct } from './drift-decision';
import { DriftPolicy } from './drift-policy.entity';
import { FIELD_ACCURACY_SOURCE, FieldAccuracySource } from './field-accuracy-source';
import { OPEN_REMEDIATION_STATES, Remediation, RemediationState } from './remediation.entity';

/**
 * Moves each open remediation one step when its current step is done: samples collected ->
 * pruning job -> canary rollout -> promotion or rollback. Reads everything from the
 * database each time, so a restart simply carries on.
 */
@Injectable()
export class RemediationRunner {
  constructor(
    @InjectRepository(Remediation) private readonly remediations: Repository<Remediation>,
    @InjectRepository(DriftPolicy) private readonly policies: Repository<DriftPolicy>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    @Inject(FIELD_ACCURACY_SOURCE) private readonly accuracy: FieldAccuracySource,
    private readonly jobs: PruningJobsService,
    private readonly models: ModelsService,
    private readonly rollouts: RolloutsService,
    private readonly events: EventsService,
    private readonly fieldSamples: FieldSamplesService,
  ) {}

  /** One step for every open remediation. */
  async advanceAll(): Promise<void> {
    const open = await this.remediations.findBy({ state: In([...OPEN_REMEDIATION_STATES]) });
    for (const remediation of open) {
      const policy = await this.policies.findOneBy({ profile: remediation.profile });
      if (!policy) {
        await this.finish(remediation, 'failed', 'remediation_failed', 'its drift policy was deleted');
        continue;
      }
      try {
        if (!policy.enabled && (remediation.state === 'sampling' || remediation.state === 'repruning')) {
          await this.stopBeforeCanary(remediation);
          continue;
        }
        await this.advance(remediation, policy);
      } catch (error) {
        await this.finish(remediation, 'failed', 'remediation_failed', (error as Error).message);
      }
    }
  }

  private async advance(r: Remediation, policy: DriftPolicy): Promise<void> {
    if (r.state === 'sampling') {
      if (Date.now() - r.createdAt.getTime() >= policy.sampleWaitS * 1000) await this.startReprune(r, policy);
      else
        await this.fieldSamples.requestFromModel(r.profile, r.incumbentArtifactId, policy.samplesPerDevice);
    } else if (r.state === 'repruning') {
      if (r.pruningJobId === null) await this.startReprune(r, policy);
      else await this.checkJob(r, policy);
    } else if (r.state === 'canary') {
      await this.judgeCanary(r, policy);
    } else if (r.state === 'promoting') {
      await this.checkPromotion(r);
    }
  }

  /**
   * Disabling a policy stops its remediation while nothing has reached a device yet; a
   * canary under way is a rollout the operator can abort or roll back.
   */
  private async stopBeforeCanary(r: Remediation): Promise<void> {
    if (r.pruningJobId) {
      const job = await this.jobs.get(r.pruningJobId);
      if (job.status === 'queued' || job.status === 'running') await this.jobs.cancel(job.id);
    }
    await this.finish(
      r,
      'failed',
      'remediation_failed',
      `the drift policy of ${r.profile} was disabled before the canary started`,
    );
  }

  /** Prunes the incumbent's dense parent again, keeping `repruneRelax` times the incumbent's share. */
  private async startReprune(r: Remediation, policy: DriftPolicy): Promise<void> {
    const versionId = await this.incumbentVersionId(r);
    const version = await this.models.getVersion(versionId);
    const source = version.parentVersionId ? await this.models.getVersion(version.parentVersionId) : version;
    const keep = version.paramCount / source.paramCount;
    const targetParams = Math.min(1, Math.round(keep * policy.repruneRelax * 1000) / 1000);
    const job = await this.jobs.create(
      {
        modelVersionId: source.id,
        profiles: [r.profile],
        targetParams,
        epochs: policy.repruneEpochs,
        trainLimit: policy.repruneTrainLimit ?? undefined,
        testLimit: policy.repruneTestLimit ?? undefined,
        fieldSampleShare: policy.fieldSampleShare,
        seed: 0,
      },
      { fieldSampleSince: r.createdAt.getTime() },
    );
    await this.save(r, { state: 'repruning', pruningJobId: job.id });
    await this.record(
      r,
      'reprune_started',
      `re-pruning v${source.version} for ${r.profile} keeping ${pct(targetParams)} of its parameters (the incumbent kept ${pct(keep)})${policy.fieldSampleShare > 0 ? `, fine-tuned with field samples at ${pct(policy.fieldSampleShare)} of the data` : ''}`,
      {
        jobId: job.id,
        sourceModelVersionId: source.id,
        incumbentKeep: keep,
        targetParams,
        epochs: policy.repruneEpochs,
        fieldSampleShare: policy.fieldSampleShare,
      },
    );
  }

  private async incumbentVersionId(r: Remediation): Promise<string> {
    const artifact = await this.remediations.manager.findOneBy(Artifact, { id: r.incumbentArtifactId });
    const id = artifact?.metadata.modelVersionId;
    if (typeof id !== 'string')
      throw new Error(
        `cannot re-prune ${r.incumbentModelVersion}: artifact ${r.incumbentArtifactId} was not made from a stored TF.js model ` +
          '(upload the model and deploy an artifact pruned from it to let the closed loop re-prune)',
      );
    return id;
  }

  private async checkJob(r: Remediation, policy: DriftPolicy): Promise<void> {
    const job = await this.jobs.get(r.pruningJobId as string);
    if (job.status === 'queued' || job.status === 'running') return;
    if (job.status !== 'succeeded')
      return this.finish(
        r,
        'failed',
        'reprune_failed',
        `pruning job ${job.id} ${job.status}: ${job.error ?? ''}`,
        { jobId: job.id },
      );
    const result = job.results.find((x) => x.profile === r.profile);
    if (!result || !result.fits)
      return this.finish(
        r,
        'failed',
        'reprune_failed',
        `the re-pruned model does not fit ${r.profile}: ${result?.reasons.join('; ') ?? 'no result'}`,
        { jobId: job.id },
      );
    // A job's artifact is new, so a canary of it can only be this run's, made just before a
    // crash that kept the step from being recorded.
    const made = await this.rollouts.findCanary(result.artifactId);
    const stage = Math.max(1, Math.round(policy.canaryShare * 100));
    const rollout = made
      ? await this.rollouts.get(made.id)
      : await this.rollouts.create(
          {
            artifactId: result.artifactId,
            target: `profile:${r.profile}`,
            stages: [stage, 100],
            autoAdvance: false,
          },
          'canary',
        );
    await this.save(r, { state: 'canary', candidateArtifactId: result.artifactId, rolloutId: rollout.id });
    await this.record(
      r,
      'canary_started',
      `canary of ${rollout.modelVersion} on ${rollout.stageDevices[0]} of ${rollout.devices} ${r.profile} device(s) against ${r.incumbentModelVersion}`,
      {
        rolloutId: rollout.id,
        candidateArtifactId: result.artifactId,
        candidateModelVersion: rollout.modelVersion,
        canaryDevices: rollout.stageDevices[0],
        devices: rollout.devices,
        report: {
          params: result.report.params,
          int8TestAccuracy: result.report.int8TestAccuracy,
          tfliteBytes: result.report.tfliteBytes,
        },
      },
    );
  }

  private async judgeCanary(r: Remediation, policy: DriftPolicy): Promise<void> {
    const rollout = await this.rollouts.load(r.rolloutId as string);
    if (rollout.status === 'aborted' || rollout.status === 'rolled_back')
      return this.finish(
        r,
        'failed',
        'remediation_failed',
        `the canary rollout was ${rollout.status} by an operator`,
      );
    const stage = await this.rollouts.stageStatus(rollout);
    const timedOut = Date.now() - rollout.createdAt.getTime() > policy.canaryTimeoutS * 1000;
    if (stage === 'failed' || stage === 'cancelled') {
      // A deployment an operator started took the canary's devices over: theirs wins.
      const superseded = await this.sessions.existsBy({
        deploymentId: rollout.deploymentIds[0],
        detail: Like('superseded by deployment %'),
      });
      if (superseded)
        return this.finish(
          r,
          'failed',
          'remediation_failed',
          'another deployment superseded the canary; nothing rolled back',
        );
      return this.rollBack(r, `the candidate failed to install on the canary devices (stage ${stage})`, {});
    }
    if (stage === 'active') {
      if (timedOut)
        await this.rollBack(r, `the canary did not install within ${policy.canaryTimeoutS} s`, {});
      return;
    }
    if (rollout.status === 'paused') return; // an operator holds it
    const deployment = await this.deployments.findOneBy({ id: rollout.deploymentIds[0] });
    const since = deployment?.finishedAt ? Date.parse(deployment.finishedAt) : rollout.createdAt.getTime();
    const [candidate, incumbent] = await Promise.all([
      this.accuracy.accuracyTotals({
        profile: r.profile,
        artifactId: r.candidateArtifactId as string,
        since,
      }),
      this.accuracy.accuracyTotals({ profile: r.profile, artifactId: r.incumbentArtifactId, since }),
    ]);
    const { verdict, evidence } = decideCanary(candidate, incumbent, {
      minSamples: policy.canaryMinSamples,
      confidence: policy.confidence,
      margin: policy.canaryMargin,
    });
    const canaryEvidence = { ...evidence, since } as unknown as Record<string, unknown>;
    await this.save(r, { canaryEvidence });
    const summary =
      `candidate ${pct(evidence.candidate.accuracy)} (${candidate.correct}/${candidate.labelled}) vs incumbent ` +
      `${pct(evidence.incumbent.accuracy)} (${incumbent.correct}/${incumbent.labelled}); difference in ` +
      `[${pct(evidence.difference.lower)}, ${pct(evidence.difference.upper)}] at ${pct(policy.confidence)} per side`;
    if (verdict === 'promote') {
      await this.rollouts.resume(rollout.id, `canary promoted: ${summary}`);
      await this.save(r, { state: 'promoting' });
      await this.record(
        r,
        'promoted',
        `promoted ${rollout.modelVersion} to every ${r.profile} device: ${summary}, not worse than the margin ${pct(policy.canaryMargin)}`,
        canaryEvidence,
      );
    } else if (verdict === 'rollback') {
      await this.rollBack(r, `the candidate is confidently worse: ${summary}`, canaryEvidence);
    } else if (timedOut) {
      await this.rollBack(r, `no decision within ${policy.canaryTimeoutS} s: ${summary}`, canaryEvidence);
    }
  }

  private async rollBack(r: Remediation, reason: string, evidence: Record<string, unknown>): Promise<void> {
    await this.rollouts.rollback(r.rolloutId as string, reason);
    await this.finish(
      r,
      'rolled_back',
      'rolled_back',
      `rolled back the canary of ${r.profile}: ${reason}`,
      evidence,
    );
  }

  private async checkPromotion(r: Remediation): Promise<void> {
    const rollout = await this.rollouts.load(r.rolloutId as string);
    if (rollout.status === 'completed')
      return this.finish(
        r,
        'completed',
        'remediation_completed',
        `${r.profile} now runs ${rollout.modelVersion} on every device`,
        {
          rolloutId: rollout.id,
          candidateArtifactId: r.candidateArtifactId,
        },
      );
    if (rollout.status !== 'running')
      await this.finish(
        r,
        'failed',
        'remediation_failed',
        `the promotion stopped: rollout ${rollout.status}${rollout.reason ? ` (${rollout.reason})` : ''}`,
      );
  }

  private async finish(
    r: Remediation,
    state: RemediationState,
    type: EventType,
    message: string,
    evidence: Record<string, unknown> = {},
  ): Promise<void> {
    await this.save(r, { state, detail: message.slice(0, 500), finishedAt: new Date().toISOString() });
    await this.record(r, type, message, evidence);
  }

  private async save(r: Remediation, changes: Partial<Remediation>): Promise<void> {
    Object.assign(r, changes, { updatedAt: new Date().toISOString() });
    await this.remediations.save(r);
  }

  private record(
    r: Remediation,
    type: EventType,
    message: string,
    evidence: Record<string, unknown>,
  ): Promise<unknown> {
    return this.events.record({
      type,
      profile: r.profile,
      subject: `remediation:${r.id}`,
      message,
      evidence: {
        incumbentArtifactId: r.incumbentArtifactId,
        candidateArtifactId: r.candidateArtifactId,
        ...evidence,
      },
    });
  }
}
