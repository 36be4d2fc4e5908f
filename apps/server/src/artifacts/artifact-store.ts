import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactFile } from './artifact.entity';

export interface FileToStore {
  name: string;
  bytes: Uint8Array;
}

const SAFE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Artifact files on disk: DATA_DIR/artifacts/<id>/<name>. Files are written under a
 * temporary name, fsynced, and the folder is renamed into place, so a crash never leaves a
 * half-written artifact that looks complete.
 */
export class ArtifactStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'artifacts');
  }

  /** Writes the files of a new artifact; returns its id and file descriptions. */
  async write(files: readonly FileToStore[]): Promise<{ id: string; files: ArtifactFile[] }> {
    const id = randomUUID();
    const tmp = join(this.root, `.tmp-${id}`);
    await mkdir(tmp, { recursive: true });
    try {
      const described: ArtifactFile[] = [];
      for (const file of files) {
        if (!SAFE_NAME.test(file.name))
          throw new Error(`artifact file name ${JSON.stringify(file.name)} is not a plain file name`);
        const handle = await open(join(tmp, file.name), 'wx');
        try {
          await handle.writeFile(file.bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        described.push({
          name: file.name,
          bytes: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
        });
      }
      await rename(tmp, this.dir(id));
      return { id, files: described };
    } catch (error) {
      await rm(tmp, { recursive: true, force: true });
      throw error;
    }
  }

  /** Removes an artifact's folder (used when its database row could not be written). */
  async discard(id: string): Promise<void> {
    await rm(this.dir(id), { recursive: true, force: true });
  }

  /** A stream of one stored file, or undefined when absent. */
  async open(id: string, name: string): Promise<{ stream: ReadStream; bytes: number } | undefined> {
    if (!SAFE_NAME.test(name)) return undefined;
    const path = join(this.dir(id), name);
    try {
      const info = await stat(path);
      return { stream: createReadStream(path), bytes: info.size };
    } catch {
      return undefined;
    }
  }

  /** Deletes leftovers of interrupted writes and folders no database row refers to. */
  async sweep(isKnown: (id: string) => Promise<boolean>): Promise<string[]> {
    await mkdir(this.root, { recursive: true });
    const removed: string[] = [];
    for (const entry of await readdir(this.root)) {
      if (entry.startsWith('.tmp-') || !(await isKnown(entry))) {
        await rm(join(this.root, entry), { recursive: true, force: true });
        removed.push(entry);
      }
    }
    return removed;
  }

  private dir(id: string): string {
    return join(this.root, id);
  }
}
