import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FirmwareRenderError } from './firmware-render-error';
import { tar, tarGz, tarGzAsync, TarEntry } from './tar-gz';

// Checked with the system's GNU tar: an independent reader of the same format.
describe(tarGz.name, () => {
  const longDir = `${'d'.repeat(45)}/${'e'.repeat(45)}/${'f'.repeat(45)}`; // 137 bytes: needs the prefix field
  const files: TarEntry[] = [
    { path: 'top.txt', bytes: Buffer.from('hello\n') },
    { path: 'empty', bytes: new Uint8Array(0) },
    { path: 'a/b/exactly-512.bin', bytes: randomBytes(512) },
    { path: 'a/b/c/odd.bin', bytes: randomBytes(513 + 7919) },
    { path: 'a/run.sh', bytes: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
    { path: `${longDir}/${'n'.repeat(90)}.h`, bytes: Buffer.from('long path via ustar prefix') },
    { path: 'ünï/çødé.txt', bytes: Buffer.from('utf-8 names') },
    // A view into a larger buffer: only the view's bytes belong in the archive.
    { path: 'view.bin', bytes: new Uint8Array(Buffer.from('xxPAYLOADxx').buffer, 2, 7) },
  ];
  let dir: string;
  let archive: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetprune-tar-'));
    archive = join(dir, 'x.tar.gz');
    writeFileSync(archive, tarGz(files));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every file and its parent directories with tar -tzf', () => {
    const listed = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    for (const f of files) expect(listed).toContain(f.path);
    expect(listed).toEqual(expect.arrayContaining(['a/', 'a/b/', 'a/b/c/', `${longDir}/`]));
    expect(listed.filter((p) => !p.endsWith('/'))).toHaveLength(files.length);
  });

  it('extracts with tar -xzf to the same bytes and permissions', () => {
    const out = join(dir, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    for (const f of files) {
      const path = join(out, f.path);
      expect(readFileSync(path).equals(Buffer.from(f.bytes))).toBe(true);
      expect((statSync(path).mode & 0o777).toString(8)).toBe((f.mode ?? 0o644).toString(8));
    }
  });

  it('is whole 512-byte blocks in whole 10240-byte records, and reproducible', () => {
    const raw = gunzipSync(readFileSync(archive));
    expect(raw.equals(tar(files))).toBe(true);
    expect(raw.length % 10240).toBe(0);
    expect(raw.subarray(257, 263).toString('latin1')).toBe('ustar\0');
    expect(tarGz(files).equals(readFileSync(archive))).toBe(true);
    expect(tarGz(files, { mtime: 1 }).equals(readFileSync(archive))).toBe(false);
  });

  it('compresses the same bytes off the main thread with tarGzAsync', async () => {
    expect(
      (await tarGzAsync(files, { mtime: 5, level: 1 })).equals(tarGz(files, { mtime: 5, level: 1 })),
    ).toBe(true);
  });

  it('stores the given mtime', () => {
    const path = join(dir, 'mtime.tar.gz');
    writeFileSync(path, tarGz([{ path: 'f', bytes: Buffer.from('x') }], { mtime: 1_700_000_000 }));
    const line = execFileSync('tar', ['--full-time', '-tvzf', path], {
      encoding: 'utf8',
      env: { TZ: 'UTC' },
    });
    expect(line).toContain('2023-11-14 22:13:20');
  });

  it.each([
    ['/abs', 'absolute'],
    ['a/../b', 'dot-dot'],
    ['a//b', 'empty segment'],
    ['dir/', 'trailing slash'],
    ['', 'empty'],
    [`${'p'.repeat(160)}/${'n'.repeat(20)}`, 'prefix too long'],
    [`p/${'n'.repeat(101)}`, 'name too long'],
  ])('refuses %j (%s) with INVALID_ARCHIVE_ENTRY', (path) => {
    const attempt = () => tarGz([{ path, bytes: new Uint8Array(1) }]);
    expect(attempt).toThrow(FirmwareRenderError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'INVALID_ARCHIVE_ENTRY' }));
  });

  it('refuses the same path twice', () => {
    const f = { path: 'same', bytes: new Uint8Array(1) };
    expect(() => tarGz([f, f])).toThrow(/appears twice/);
  });
});
