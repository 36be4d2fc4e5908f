import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Not, Repository } from 'typeorm';
import { Deployment } from '../ota/deployment.entity';
import { OtaEngine } from '../ota/ota-engine.service';
import { FINAL_SESSION_STATES, OtaSession } from '../ota/ota-session.entity';
import type { DeviceSessionView } from './fleet-ota-view';

/** Recent deployments whose finished sessions still show as a device's OTA state. */
const RECENT_DEPLOYMENTS = 3;
const HISTORY_LIMIT = 50;

/**
 * The OTA side of the fleet and device views: each device's current (or latest) session and a
 * device's model history. Reads sessions and deployments; live progress comes from the engine.
 */
@Injectable()
export class FleetOtaService {
  constructor(
    @InjectRepository(OtaSession) private readonly sessions: Repository<OtaSession>,
    @InjectRepository(Deployment) private readonly deployments: Repository<Deployment>,
    private readonly engine: OtaEngine,
  ) {}

  /** One line per device that has an open session or was part of a recent deployment. */
  async currentStates(): Promise<DeviceSessionView[]> {
    const recent = await this.deployments.find({ order: { createdAt: 'DESC' }, take: RECENT_DEPLOYMENTS });
    const open = await this.sessions.findBy({ state: Not(In([...FINAL_SESSION_STATES])) });
    const finished =
      recent.length > 0 ? await this.sessions.findBy({ deploymentId: In(recent.map((d) => d.id)) }) : [];
    const deploymentIds = new Set([...open, ...finished].map((row) => row.deploymentId));
    const byId = await this.deploymentsById([...deploymentIds], recent);
    const latest = new Map<string, DeviceSessionView>();
    // Open sessions win; among finished ones, the newest deployment wins.
    for (const row of [...finished, ...open]) {
      const deployment = byId.get(row.deploymentId);
      if (!deployment) continue;
      const view = this.view(row, deployment);
      const seen = latest.get(row.deviceId);
      if (!seen || isOpen(view) || (!isOpen(seen) && view.deploymentCreatedAt > seen.deploymentCreatedAt))
        latest.set(row.deviceId, view);
    }
    return [...latest.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  }

  /** A device's sessions, newest deployment first: its model history. */
  async history(deviceId: string): Promise<DeviceSessionView[]> {
    const rows = await this.sessions.findBy({ deviceId });
    const byId = await this.deploymentsById([...new Set(rows.map((r) => r.deploymentId))], []);
    return rows
      .filter((row) => byId.has(row.deploymentId))
      .map((row) => this.view(row, byId.get(row.deploymentId) as Deployment))
      .sort((a, b) => b.deploymentCreatedAt.localeCompare(a.deploymentCreatedAt))
      .slice(0, HISTORY_LIMIT);
  }

  private async deploymentsById(ids: string[], known: Deployment[]): Promise<Map<string, Deployment>> {
    const byId = new Map(known.map((d) => [d.id, d]));
    const missing = ids.filter((id) => !byId.has(id));
    for (let i = 0; i < missing.length; i += 500)
      for (const d of await this.deployments.findBy({ id: In(missing.slice(i, i + 500)) })) byId.set(d.id, d);
    return byId;
  }

  private view(row: OtaSession, deployment: Deployment): DeviceSessionView {
    return {
      deviceId: row.deviceId,
      deploymentId: row.deploymentId,
      artifactId: deployment.artifactId,
      modelVersion: deployment.modelVersion,
      target: deployment.target,
      ...this.engine.progressOf(row),
      attempts: row.attempts,
      reason: row.reason,
      detail: row.detail,
      deploymentCreatedAt: deployment.createdAt.toISOString(),
      updatedAt: row.updatedAt,
      finishedAt: row.finishedAt,
    };
  }
}

function isOpen(view: DeviceSessionView): boolean {
  return !FINAL_SESSION_STATES.includes(view.state);
}
