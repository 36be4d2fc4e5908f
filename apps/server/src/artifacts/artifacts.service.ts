import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ReadStream } from 'node:fs';
import { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { Artifact, ArtifactKind } from './artifact.entity';
import { ArtifactStore, FileToStore } from './artifact-store';

/** Stored artifacts: files via ArtifactStore, descriptions in the database, kept in step. */
@Injectable()
export class ArtifactsService implements OnModuleInit {
  private readonly logger = new Logger(ArtifactsService.name);
  readonly store: ArtifactStore;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectRepository(Artifact) private readonly artifacts: Repository<Artifact>,
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
   * Writes files then runs `record` (which must insert the artifact row, and may insert rows
   * that refer to it) in one transaction; if the transaction fails, the files are removed.
   */
  async create<T>(
    kind: ArtifactKind,
    files: readonly FileToStore[],
    metadata: Record<string, unknown>,
    record: (em: EntityManager, artifact: Artifact) => Promise<T>,
  ): Promise<T> {
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

  list(kind?: ArtifactKind): Promise<Artifact[]> {
    return this.artifacts.find({ where: kind ? { kind } : {}, order: { createdAt: 'DESC' }, take: 500 });
  }

  async get(id: string): Promise<Artifact> {
    const artifact = await this.artifacts.findOneBy({ id });
    if (!artifact) throw AppError.notFound('artifact', id);
    return artifact;
  }

  async openFile(id: string, name: string): Promise<{ stream: ReadStream; bytes: number }> {
    const artifact = await this.get(id);
    if (!artifact.files.some((f) => f.name === name)) throw AppError.notFound(`file of artifact ${id}`, name);
    const opened = await this.store.open(id, name);
    if (!opened) throw new AppError('UNAVAILABLE', `file ${name} of artifact ${id} is missing on disk`);
    return opened;
  }
}
