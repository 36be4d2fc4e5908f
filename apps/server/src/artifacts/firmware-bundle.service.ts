import { Injectable } from '@nestjs/common';
import {
  DEFAULT_FIRMWARE_PROFILE,
  FIRMWARE_TARGETS,
  FirmwareRenderError,
  firmwareBundleName,
  firmwareModelVersion,
  isFirmwareTarget,
  renderFirmwareFiles,
  tarGzAsync,
} from '@fleetprune/firmware';
import type { MicroExportReport } from '@fleetprune/tflite';
import { BrokerService } from '../broker/broker.service';
import { AppError } from '../errors/app-error';
import { ProfilesService } from '../profiles/profiles.service';
import { ArtifactsService } from './artifacts.service';
import { SigningKeyService } from './signing-key.service';

/** A rendered firmware packed for download. */
export interface FirmwareBundle {
  fileName: string;
  bytes: Buffer;
}

/**
 * `fleetprune firmware` on the server: renders one tflite artifact's firmware with the broker
 * URL and signing key GET /api/ota/provisioning hands out, and packs it as a .tar.gz whose
 * single top folder is `<artifact>-<target>-firmware/`. No device credentials are baked in.
 */
@Injectable()
export class FirmwareBundleService {
  constructor(
    private readonly artifacts: ArtifactsService,
    private readonly profiles: ProfilesService,
    private readonly signing: SigningKeyService,
    private readonly broker: BrokerService,
  ) {}

  /** `host` is the name the caller reached this server by (where the embedded broker also listens). */
  async bundle(
    id: string,
    target: string | undefined,
    host: string,
    profile?: string,
  ): Promise<FirmwareBundle> {
    if (!isFirmwareTarget(target))
      throw new AppError(
        'INVALID_INPUT',
        `target must be one of ${FIRMWARE_TARGETS.join(', ')} (got ${JSON.stringify(target ?? '')})`,
      );
    const artifact = await this.artifacts.get(id);
    if (artifact.kind !== 'tflite')
      throw new AppError(
        'INVALID_INPUT',
        `artifact ${id} is a ${artifact.kind} artifact; firmware embeds a tflite artifact (export one first)`,
      );
    const [tflite, report, deviceProfile] = await Promise.all([
      this.artifacts.readFile(id, 'model.tflite'),
      this.artifacts.readFile(id, 'report.json'),
      this.profiles.get(profile ?? DEFAULT_FIRMWARE_PROFILE[target]),
    ]);
    const name = firmwareBundleName(id, target);
    try {
      const files = await renderFirmwareFiles(
        target,
        {
          artifactId: id,
          modelVersion: firmwareModelVersion(id, artifact.metadata),
          tflite,
          report: JSON.parse(report.toString('utf8')) as MicroExportReport,
          mqttUrl: this.broker.publicMqttUrl(host),
          publicKeyPem: this.signing.publicKeyPem,
        },
        {
          limits: {
            flashBytes: deviceProfile.flashBytes,
            ramBytes: deviceProfile.ramBytes,
            supportedOps: deviceProfile.supportedOps,
          },
        },
      );
      const mtime = Math.floor(new Date(artifact.createdAt).getTime() / 1000);
      const bytes = await tarGzAsync(
        files.map((f) => ({ ...f, path: `${name}/${f.path}` })),
        { mtime },
      );
      return { fileName: `${name}.tar.gz`, bytes };
    } catch (err) {
      if (err instanceof FirmwareRenderError && err.code === 'INVALID_INPUT')
        throw new AppError('INVALID_INPUT', err.message);
      if (err instanceof FirmwareRenderError && err.code === 'TEMPLATE_NOT_FOUND')
        throw new AppError('UNAVAILABLE', err.message);
      throw err;
    }
  }
}
