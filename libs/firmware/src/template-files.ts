import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareFile } from './firmware-file';

/**
 * Every regular file under `root/sub` (recursively, sorted by path) as template copies, paths
 * relative to `root`. `skip(name)` leaves out files and whole folders by their own name.
 */
export async function readTemplateFiles(
  root: string,
  skip: (name: string) => boolean,
  sub = '',
): Promise<FirmwareFile[]> {
  const out: FirmwareFile[] = [];
  const entries = await readdir(join(root, sub), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (skip(entry.name)) continue;
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await readTemplateFiles(root, skip, path)));
    else if (entry.isFile()) {
      const full = join(root, path);
      const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
      out.push({ path, bytes, mode: info.mode & 0o777, generated: false });
    }
  }
  return out;
}
