import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { FirmwareRenderError } from './firmware-render-error';

/** One regular file of an archive; `path` is relative and `/`-separated. */
export interface TarEntry {
  path: string;
  bytes: Uint8Array;
  /** Unix permission bits, default 0o644. */
  mode?: number;
}

/** Options of `tarGz`, merged over `DEFAULT_TAR_GZ_OPTIONS`. */
export interface TarGzOptions {
  /** Modification time of every entry, in seconds since the epoch (fixed, so archives are reproducible). */
  mtime: number;
  /** gzip level 0-9; above 6 costs several times the time for a few percent (C arrays of models). */
  level: number;
}

export const DEFAULT_TAR_GZ_OPTIONS: Readonly<TarGzOptions> = Object.freeze({ mtime: 0, level: 6 });

const gzipAsync = promisify(gzip);

const BLOCK = 512;
// GNU and BSD tar write (and some readers expect) whole records of 20 blocks.
const RECORD = 20 * BLOCK;
// ustar size field: 11 octal digits.
const MAX_ENTRY_BYTES = 8 ** 11 - 1;

/**
 * A POSIX ustar archive of `files`, gzip-compressed. Parent directories get their own entries
 * (mode 0755) before their first file, so `tar -xzf` recreates them with sane permissions.
 * @example writeFileSync('fw.tar.gz', tarGz([{ path: 'fw/config.json', bytes: Buffer.from('{}') }]));
 */
export function tarGz(files: readonly TarEntry[], options: Partial<TarGzOptions> = {}): Buffer {
  const o: TarGzOptions = { ...DEFAULT_TAR_GZ_OPTIONS, ...options };
  return gzipSync(tar(files, o.mtime), { level: o.level });
}

/** `tarGz` with the compression on libuv's thread pool, for servers that must stay responsive. */
export async function tarGzAsync(
  files: readonly TarEntry[],
  options: Partial<TarGzOptions> = {},
): Promise<Buffer> {
  const o: TarGzOptions = { ...DEFAULT_TAR_GZ_OPTIONS, ...options };
  return gzipAsync(tar(files, o.mtime), { level: o.level });
}

/** The uncompressed ustar bytes of `files` (see `tarGz`). */
export function tar(files: readonly TarEntry[], mtime = 0): Buffer {
  const parts: Buffer[] = [];
  const dirs = new Set<string>();
  const seen = new Set<string>();
  for (const file of files) {
    checkPath(file.path);
    if (seen.has(file.path)) invalid(file.path, 'appears twice');
    seen.add(file.path);
    const segments = file.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = `${segments.slice(0, i).join('/')}/`;
      if (dirs.has(dir)) continue;
      dirs.add(dir);
      parts.push(header(dir, 0, 0o755, mtime, '5'));
    }
    if (file.bytes.length > MAX_ENTRY_BYTES) invalid(file.path, `is larger than ${MAX_ENTRY_BYTES} bytes`);
    parts.push(header(file.path, file.bytes.length, file.mode ?? 0o644, mtime, '0'));
    parts.push(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.length));
    const pad = (BLOCK - (file.bytes.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  // End of archive: two zero blocks, then zeros up to a whole record.
  const body = parts.reduce((n, p) => n + p.length, 0) + 2 * BLOCK;
  parts.push(Buffer.alloc(2 * BLOCK + ((RECORD - (body % RECORD)) % RECORD)));
  return Buffer.concat(parts);
}

function header(path: string, size: number, mode: number, mtime: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(path);
  block.write(name, 0, 100, 'utf8');
  octal(block, 100, 8, mode & 0o7777);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, Math.max(0, Math.floor(mtime)));
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  block.write(type, 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** ustar keeps up to 100 bytes in `name` and 155 more in `prefix`, split at a `/`. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  // A directory's trailing slash stays in `name`; search for the split before it.
  const body = path.endsWith('/') ? path.slice(0, -1) : path;
  for (let i = body.lastIndexOf('/'); i > 0; i = body.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) > 155) continue;
    if (Buffer.byteLength(name) <= 100) return { name, prefix };
    break;
  }
  return invalid(path, 'is too long for ustar (at most 155 + 100 bytes, split at a "/")');
}

function checkPath(path: string): void {
  if (!path || path.startsWith('/') || path.endsWith('/') || path.includes('\\') || path.includes('\0'))
    invalid(path, 'must be a relative file path with "/" separators');
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..'))
    invalid(path, 'must not hold empty, "." or ".." segments');
}

function invalid(path: string, why: string): never {
  throw new FirmwareRenderError('INVALID_ARCHIVE_ENTRY', `archive entry ${JSON.stringify(path)} ${why}`);
}
