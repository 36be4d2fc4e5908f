import { readdir } from 'node:fs/promises';
import { FirmwareRenderError } from './firmware-render-error';

/**
 * Refuses (OUT_DIR_NOT_EMPTY) to render into a directory that already holds files, unless
 * `force`; a missing directory is fine, the renderer creates it.
 */
export async function checkOutDir(outDir: string, force: boolean): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(outDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (entries.length > 0 && !force)
    throw new FirmwareRenderError(
      'OUT_DIR_NOT_EMPTY',
      `${outDir} is not empty; choose an empty directory or pass force to overwrite`,
    );
}
