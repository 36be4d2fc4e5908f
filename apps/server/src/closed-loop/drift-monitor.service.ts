import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, MoreThan, Repository } from 'typeorm';
import { EventsService } from '../events/events.service';
import { FieldSamplesService } from '../field-samples/field-samples.service';
import { decideDrift, DriftEvidence, pct } from './drift-decision';
import { DriftPolicy } from './drift-policy.entity';
import { FIELD_ACCURACY_SOURCE, FieldAccuracySource } from './field-accuracy-source';
import { findIncumbent } from './incumbent';
import { OPEN_REMEDIATION_STATES, Remediation } from './remediation.entity';

/** The last drift check of a profile, for operators watching the loop. */
export interface DriftCheck {
  at: number;
  incumbentArtifactId: string | null;
  evidence: DriftEvidence | null;
  /** Why nothing was checked (no devices running a model, a remediation under way, cooldown). */
  skipped: string | null;
}

/**
 * Watches each enabled policy's profile: when the incumbent model's field accuracy is
 * confidently below target, opens a remediation and asks the devices for field samples.
 */
@Injectable()
export class DriftMonitor {
  readonly lastChecks = new Map<string, DriftCheck>();

  constructor(
    @InjectRepository(DriftPolicy) private readonly policies: Repository<DriftPolicy>,
    @InjectRepository(Remediation) private readonly remediations: Repository<Remediation>,
    @Inject(FIELD_ACCURACY_SOURCE) private readonly accuracy: FieldAccuracySource,
    private readonly fieldSamples: FieldSamplesService,
    private readonly events: EventsService,
  ) {}

  /** Checks every enabled policy once. */
  async checkAll(): Promise<void> {
    for (const policy of await this.policies.findBy({ enabled: true })) await this.check(policy);
  }

  private async check(policy: DriftPolicy): Promise<void> {
    const now = Date.now();
    const skip = (skipped: string, incumbentArtifactId: string | null = null) =>
      void this.lastChecks.set(policy.profile, { at: now, incumbentArtifactId, evidence: null, skipped });
    const open = await this.remediations.existsBy({
      profile: policy.profile,
      state: In([...OPEN_REMEDIATION_STATES]),
    });
    if (open) return skip('a remediation is under way');
    const cooling = await this.remediations.existsBy({
      profile: policy.profile,
      finishedAt: MoreThan(new Date(now - policy.cooldownS * 1000).toISOString()),
    });
    if (cooling) return skip(`cooling down (${policy.cooldownS} s after the last remediation)`);
    const incumbent = await findIncumbent(this.remediations.manager, policy.profile);
    if (!incumbent) return skip('no device of the profile runs a model');
    const totals = await this.accuracy.accuracyTotals({
      profile: policy.profile,
      artifactId: incumbent.artifactId,
      since: now - policy.windowS * 1000,
    });
    const { drifted, evidence } = decideDrift(totals, policy);
    this.lastChecks.set(policy.profile, {
      at: now,
      incumbentArtifactId: incumbent.artifactId,
      evidence,
      skipped: null,
    });
    if (!drifted) return;

    const id = randomUUID();
    const remediation = this.remediations.create({
      id,
      profile: policy.profile,
      state: policy.fieldSampleShare > 0 ? 'sampling' : 'repruning',
      incumbentArtifactId: incumbent.artifactId,
      incumbentModelVersion: incumbent.modelVersion,
      candidateArtifactId: null,
      pruningJobId: null,
      rolloutId: null,
      evidence: { ...evidence, windowS: policy.windowS, devices: incumbent.devices },
      canaryEvidence: null,
      detail: null,
      updatedAt: new Date(now).toISOString(),
      finishedAt: null,
    });
    await this.remediations.save(remediation);
    await this.events.record({
      type: 'drift_detected',
      profile: policy.profile,
      subject: `remediation:${id}`,
      message:
        `${policy.profile}: ${incumbent.modelVersion} is at ${pct(evidence.accuracy)} over the last ${policy.windowS} s ` +
        `(${evidence.correct}/${evidence.labelled}; upper bound ${pct(evidence.upperBound)} at ${pct(policy.confidence)} confidence), ` +
        `below the target ${pct(policy.targetAccuracy)}`,
      evidence: {
        ...remediation.evidence,
        incumbentArtifactId: incumbent.artifactId,
        modelVersion: incumbent.modelVersion,
      },
    });
    if (policy.fieldSampleShare > 0) await this.requestSamples(remediation, policy);
  }

  /** Asks every device running the incumbent for its recent labelled inputs. */
  private async requestSamples(remediation: Remediation, policy: DriftPolicy): Promise<void> {
    const asked = await this.fieldSamples.requestFromModel(
      policy.profile,
      remediation.incumbentArtifactId,
      policy.samplesPerDevice,
    );
    await this.events.record({
      type: 'samples_requested',
      profile: policy.profile,
      subject: `remediation:${remediation.id}`,
      message: `${policy.profile}: asking ${asked} device(s) for up to ${policy.samplesPerDevice} field samples each, every tick for ${policy.sampleWaitS} s; re-pruning after that`,
      evidence: { devices: asked, samplesPerDevice: policy.samplesPerDevice, waitS: policy.sampleWaitS },
    });
  }
}
