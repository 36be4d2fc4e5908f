import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ReadStream } from 'node:fs';
import { EntityManager, Repository } from 'typeorm';
import { sha256Hex } from '@fleetprune/protocol';
import { packageMicroModel } from '@fleetprune/tflite';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { Artifact, ArtifactKind } from './artifact.entity';
import { ArtifactStore, FileToStore } from './artifact-store';
import { SigningKeyService } from './signing-key.service';

/** The file of a `tflite` artifact that devices download. */
export const TFLITE_FILE = 'model.tflite';

/** Stored artifacts: files via ArtifactStore, descriptions in the database, kept in step. */
@Injectable()
export class ArtifactsService implements OnModuleInit {
  private readonly logger = new Logger(ArtifactsService.name);
  readonly store: ArtifactStore;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRepository(Artifact) private readonly artifacts: Repository<Artifact>,
    private readonly signing: SigningKeyService,
  ) {
    this.store = new ArtifactStore(config.dataDir);
  }

  async onModuleInit(): Promise<void> {
    const removed = await this.store.sweep((id) => this.artifacts.existsBy({ id }));
    if (removed.length > 0)
      this.logger.warn(
        `removed ${removed.length} incomplete artifact folder(s) left by an interrupted write`,
      );
  }

  /**
   * A `tflite` artifact is signed here, whatever made it, so every model a device can be
   * offered carries the server's signature from the start.
   * Writes files then runs `record` (which must insert the artifact row, and may insert rows
   * that refer to it) in one transaction; if the transaction fails, the files are removed.
   */
  async create<T>(
    kind: ArtifactKind,
    files: readonly FileToStore[],
    metadata: Record<string, unknown>,
    record: (em: EntityManager, artifact: Artifact) => Promise<T>,
  ): Promise<T> {
    if (kind === 'tflite') {
      const model = files.find((f) => f.name === TFLITE_FILE);
      if (!model) throw new AppError('INVALID_INPUT', `a tflite artifact needs a ${TFLITE_FILE} file`);
      metadata = { ...metadata, sha256: sha256Hex(model.bytes), ...this.signing.sign(model.bytes) };
    }
    const written = await this.store.write(files);
    try {
      return await this.artifacts.manager.transaction(async (em) => {
        const artifact = em.create(Artifact, {
          id: written.id,
          kind,
          files: written.files,
          bytes: written.files.reduce((sum, f) => sum + f.bytes, 0),
          metadata,
        });
        await em.save(Artifact, artifact);
        return record(em, artifact);
      });
    } catch (error) {
      await this.store.discard(written.id);
      throw error;
    }
  }

  /** Stores an uploaded `.tflite` as a tflite artifact, packaged like one we exported. */
  async importTflite(
    bytes: Uint8Array,
    input: { modelVersion?: string; name?: string; fileName: string },
  ): Promise<Artifact> {
    const packaged = packageMicroModel(bytes, { name: input.name });
    const { name, ...facts } = packaged.report;
    return this.create(
      'tflite',
      packaged.files,
      {
        source: 'upload',
        fileName: input.fileName,
        modelName: name,
        ...facts,
        modelVersion: input.modelVersion,
      },
      async (_em, artifact) => artifact,
    );
  }

  list(kind?: ArtifactKind): Promise<Artifact[]> {
    return this.artifacts.find({ where: kind ? { kind } : {}, order: { createdAt: 'DESC' }, take: 500 });
  }

  async get(id: string): Promise<Artifact> {
    const artifact = await this.artifacts.findOneBy({ id });
    if (!artifact) throw AppError.notFound('artifact', id);
    return artifact;
  }

  /** Reads one stored file whole (artifacts devices download are at most 64 MiB). */
  async readFile(id: string, name: string): Promise<Buffer> {
    const { stream } = await this.openFile(id, name);
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  async openFile(id: string, name: string): Promise<{ stream: ReadStream; bytes: number }> {
    const artifact = await this.get(id);
    if (!artifact.files.some((f) => f.name === name)) throw AppError.notFound(`file of artifact ${id}`, name);
    const opened = await this.store.open(id, name);
    if (!opened) throw new AppError('UNAVAILABLE', `file ${name} of artifact ${id} is missing on disk`);
    return opened;
  }
}
