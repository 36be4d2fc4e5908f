import { In, Repository } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { Device } from '../devices/device.entity';
import { Deployment } from '../ota/deployment.entity';
import { OtaSession } from '../ota/ota-session.entity';

/** Why a well-formed window is still refused. */
export type AdmissionRejection = 'UNKNOWN_ARTIFACT' | 'UNKNOWN_MODEL_VERSION';

export type Admission = { ok: true; profile: string } | { ok: false; reason: AdmissionRejection };

/** Repositories the admission check reads. */
export interface AdmissionSources {
  devices: Repository<Device>;
  sessions: Repository<OtaSession>;
  deployments: Repository<Deployment>;
  artifacts: Repository<Artifact>;
}

/** How long a device's checked (artifact, version, profile) is trusted before it is read again. */
const CACHE_MS = 60_000;

/**
 * Decides whether a device may report on an artifact and model version: the artifact must be
 * the one it runs or one an unfinished OTA session is giving it, and the version must be that
 * artifact's (its upload metadata or a deployment's). A device reports on the same model
 * window after window, so the answer is cached per device; the cache also carries the
 * device's profile, which rollups record.
 */
export class TelemetryAdmission {
  private readonly checked = new Map<
    string,
    { artifactId: string; modelVersion: string; profile: string; at: number }
  >();

  constructor(
    private readonly sources: AdmissionSources,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The device's profile when this (artifact, model version) was admitted for it less than the
   * cache lifetime ago, else undefined (then call `admit`). Synchronous, so the hot path of a
   * device reporting on its usual model costs no promise.
   */
  cachedProfile(deviceId: string, artifactId: string, modelVersion: string): string | undefined {
    const cached = this.checked.get(deviceId);
    return cached &&
      cached.artifactId === artifactId &&
      cached.modelVersion === modelVersion &&
      this.now() - cached.at < CACHE_MS
      ? cached.profile
      : undefined;
  }

  /** Admits or refuses one window's (artifact, model version) for `deviceId`. */
  async admit(deviceId: string, artifactId: string, modelVersion: string): Promise<Admission> {
    const profile = this.cachedProfile(deviceId, artifactId, modelVersion);
    if (profile !== undefined) return { ok: true, profile };
    const device = await this.sources.devices.findOne({
      where: { id: deviceId },
      select: { id: true, profile: true, activeArtifactId: true },
      loadEagerRelations: false,
    });
    if (!device) return { ok: false, reason: 'UNKNOWN_ARTIFACT' };
    if (device.activeArtifactId !== artifactId && !(await this.beingInstalled(deviceId, artifactId)))
      return { ok: false, reason: 'UNKNOWN_ARTIFACT' };
    if (!(await this.versionOf(artifactId, modelVersion)))
      return { ok: false, reason: 'UNKNOWN_MODEL_VERSION' };
    this.checked.set(deviceId, { artifactId, modelVersion, profile: device.profile, at: this.now() });
    return { ok: true, profile: device.profile };
  }

  /** Whether an unfinished OTA session is giving `artifactId` to the device. */
  private async beingInstalled(deviceId: string, artifactId: string): Promise<boolean> {
    const open = await this.sources.sessions.find({
      where: { deviceId, state: In(['offered', 'downloading', 'verifying']) },
      select: { deploymentId: true },
    });
    if (open.length === 0) return false;
    return this.sources.deployments.existsBy({ id: In(open.map((s) => s.deploymentId)), artifactId });
  }

  /** Whether `modelVersion` is the artifact's: as uploaded, or as a deployment offered it. */
  private async versionOf(artifactId: string, modelVersion: string): Promise<boolean> {
    if (await this.sources.deployments.existsBy({ artifactId, modelVersion })) return true;
    const artifact = await this.sources.artifacts.findOne({
      where: { id: artifactId },
      select: { id: true, metadata: true },
    });
    return artifact?.metadata.modelVersion === modelVersion;
  }
}
