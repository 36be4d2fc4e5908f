import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError } from '../errors/app-error';
import { ProfilesService } from '../profiles/profiles.service';
import { DriftCheck, DriftMonitor } from './drift-monitor.service';
import { DRIFT_POLICY_DEFAULTS, PutDriftPolicyDto } from './drift-policy.dto';
import { DriftPolicy } from './drift-policy.entity';
import { Remediation } from './remediation.entity';

/** A policy with what the monitor last saw for its profile. */
export type DriftPolicyView = DriftPolicy & { lastCheck: DriftCheck | null };

/** Drift policies (one per profile) and the remediations they opened. */
@Injectable()
export class DriftPoliciesService {
  constructor(
    @InjectRepository(DriftPolicy) private readonly policies: Repository<DriftPolicy>,
    @InjectRepository(Remediation) private readonly remediations: Repository<Remediation>,
    private readonly profiles: ProfilesService,
    private readonly monitor: DriftMonitor,
  ) {}

  /** Creates or replaces the policy of a known profile. */
  async put(profile: string, dto: PutDriftPolicyDto): Promise<DriftPolicyView> {
    await this.profiles.get(profile);
    const existing = await this.policies.findOneBy({ profile });
    // Absent knobs arrive as undefined properties of the DTO instance: they must not erase defaults.
    const given = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    const policy = this.policies.create({
      ...DRIFT_POLICY_DEFAULTS,
      ...given,
      profile,
      createdAt: existing?.createdAt,
      updatedAt: new Date().toISOString(),
    });
    await this.policies.save(policy);
    return this.get(profile);
  }

  async list(): Promise<DriftPolicyView[]> {
    const rows = await this.policies.find({ order: { profile: 'ASC' } });
    return rows.map((p) => this.view(p));
  }

  async get(profile: string): Promise<DriftPolicyView> {
    const policy = await this.policies.findOneBy({ profile });
    if (!policy) throw AppError.notFound('drift policy of profile', profile);
    return this.view(policy);
  }

  async remove(profile: string): Promise<void> {
    const result = await this.policies.delete({ profile });
    if (!result.affected) throw AppError.notFound('drift policy of profile', profile);
  }

  listRemediations(profile?: string): Promise<Remediation[]> {
    return this.remediations.find({
      where: profile ? { profile } : {},
      order: { createdAt: 'DESC' },
      take: 200,
    });
  }

  async getRemediation(id: string): Promise<Remediation> {
    const row = await this.remediations.findOneBy({ id });
    if (!row) throw AppError.notFound('remediation', id);
    return row;
  }

  private view(policy: DriftPolicy): DriftPolicyView {
    return { ...policy, lastCheck: this.monitor.lastChecks.get(policy.profile) ?? null };
  }
}
