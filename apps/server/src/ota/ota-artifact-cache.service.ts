import { Injectable } from '@nestjs/common';
import { isSignatureAlgorithm } from '@fleetprune/protocol';
import { ArtifactsService, TFLITE_FILE } from '../artifacts/artifacts.service';
import { SigningKeyService } from '../artifacts/signing-key.service';
import { AppError } from '../errors/app-error';
import { describeOtaModel, OtaArtifact } from './ota-artifact';

const CACHE_LIMIT = 32;

/**
 * Artifacts being deployed, read from disk once and kept in memory: every chunk request is
 * answered from here. Least recently used ones are dropped beyond CACHE_LIMIT.
 */
@Injectable()
export class OtaArtifactCache {
  private readonly cache = new Map<string, Promise<OtaArtifact>>();

  constructor(
    private readonly artifacts: ArtifactsService,
    private readonly signing: SigningKeyService,
  ) {}

  /** The artifact ready to offer; INVALID_INPUT when it is not a deployable tflite model. */
  get(id: string): Promise<OtaArtifact> {
    let entry = this.cache.get(id);
    if (entry) {
      this.cache.delete(id);
    } else {
      entry = this.load(id);
      entry.catch(() => this.cache.delete(id));
    }
    this.cache.set(id, entry);
    while (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  private async load(id: string): Promise<OtaArtifact> {
    const artifact = await this.artifacts.get(id);
    if (artifact.kind !== 'tflite')
      throw new AppError(
        'INVALID_INPUT',
        `artifact ${id} is a ${artifact.kind}; deploy a tflite artifact (fleetprune artifacts upload, or a pruning job's output)`,
      );
    const bytes = await this.artifacts.readFile(id, TFLITE_FILE);
    const facts = describeOtaModel(bytes);
    const meta = artifact.metadata;
    if (typeof meta.sha256 === 'string' && meta.sha256 !== facts.sha256)
      throw new AppError(
        'CONFLICT',
        `artifact ${id}: ${TFLITE_FILE} on disk has SHA-256 ${facts.sha256}, but ${meta.sha256} was stored; the file was altered, upload the model again`,
      );
    // Artifacts stored before signing existed are signed now; the signature is not persisted.
    const signed =
      typeof meta.signature === 'string' && isSignatureAlgorithm(meta.signatureAlg)
        ? { signature: meta.signature, signatureAlg: meta.signatureAlg }
        : this.signing.sign(bytes);
    const modelVersion = typeof meta.modelVersion === 'string' ? meta.modelVersion : `art-${id.slice(0, 8)}`;
    return { id, bytes, modelVersion, ...facts, ...signed };
  }
}
