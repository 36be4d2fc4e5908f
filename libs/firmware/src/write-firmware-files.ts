import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkOutDir } from './check-out-dir';
import type { FirmwareFile } from './firmware-file';
import type { RenderedFile } from './rendered-file';

/**
 * Writes rendered files under `outDir` (created when missing) with their permission bits.
 * Refuses (OUT_DIR_NOT_EMPTY) a directory that holds files unless `force`. Returns what it wrote.
 */
export async function writeFirmwareFiles(
  outDir: string,
  files: readonly FirmwareFile[],
  force: boolean,
): Promise<RenderedFile[]> {
  await checkOutDir(outDir, force);
  const written: RenderedFile[] = [];
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.bytes);
    // writeFile's mode applies only to new files; --force rewrites existing ones too.
    await chmod(target, file.mode);
    written.push({ path: file.path, bytes: file.bytes.length, generated: file.generated });
  }
  return written;
}
