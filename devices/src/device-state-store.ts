import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DeviceError } from './device-error';

/** The two model slots, as files `slot-a.tflite` and `slot-b.tflite`. */
export type SlotName = 'a' | 'b';

/** What a verified slot holds. */
export interface SlotInfo {
  artifactId: string;
  modelVersion: string;
  sha256: string;
  size: number;
}

/** The active-slot marker (`active.json`): which slot boots, and what each verified slot holds. */
export interface SlotMarker {
  active: SlotName | null;
  slots: Partial<Record<SlotName, SlotInfo>>;
}

/** A download kept across a reboot (`download.json`): the offer and the flushed prefix. */
export interface DownloadRecord {
  session: number;
  deploymentId: string;
  artifactId: string;
  modelVersion: string;
  sha256: string;
  size: number;
  slot: SlotName;
  /** Bytes from offset 0 known to be in the slot file (flushed before this was written). */
  prefixBytes: number;
}

/** Counters that must never repeat across restarts (`counters.json`). */
export interface PersistentCounters {
  telemetrySeq: number;
  samplesSeq: number;
}

/** The other slot. */
export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}

/**
 * A device's files under `<stateDir>/<deviceId>/`. JSON records are replaced atomically (write
 * a temporary file, fsync, rename, fsync the folder) so a power cut leaves the old or the new
 * record, never half of one. `durable: false` skips the fsyncs (fleet simulations on one disk).
 * Nothing is created until something is written, so a refused offer leaves no trace.
 */
export class DeviceStateStore {
  readonly dir: string;
  /** The folder was created (or found) by this store: saves a mkdir per write in a fleet. */
  private dirReady = false;

  constructor(
    stateDir: string,
    deviceId: string,
    private readonly durable = true,
  ) {
    this.dir = join(stateDir, deviceId);
  }

  slotPath(slot: SlotName): string {
    return join(this.dir, `slot-${slot}.tflite`);
  }

  readMarker(): SlotMarker {
    return this.readJson<SlotMarker>('active.json') ?? { active: null, slots: {} };
  }

  writeMarker(marker: SlotMarker): void {
    this.writeJson('active.json', marker);
  }

  readDownload(): DownloadRecord | undefined {
    return this.readJson<DownloadRecord>('download.json');
  }

  writeDownload(record: DownloadRecord): void {
    this.writeJson('download.json', record);
  }

  clearDownload(): void {
    rmSync(join(this.dir, 'download.json'), { force: true });
  }

  readCounters(): PersistentCounters {
    return this.readJson<PersistentCounters>('counters.json') ?? { telemetrySeq: 0, samplesSeq: 0 };
  }

  writeCounters(counters: PersistentCounters): void {
    this.writeJson('counters.json', counters);
  }

  /** A slot's bytes, or undefined when the file does not exist. */
  readSlot(slot: SlotName): Buffer | undefined {
    return readIfExists(this.slotPath(slot));
  }

  /** The first `length` bytes of a slot file (fewer if the file is shorter). */
  readSlotPrefix(slot: SlotName, length: number): Buffer {
    const bytes = this.readSlot(slot);
    return bytes ? bytes.subarray(0, Math.min(length, bytes.length)) : Buffer.alloc(0);
  }

  eraseSlot(slot: SlotName): void {
    rmSync(this.slotPath(slot), { force: true });
  }

  /** Opens a slot file for positional writes; `keep` keeps its bytes (a resumed download). */
  openSlotWriter(slot: SlotName, keep: boolean): SlotWriter {
    const path = this.slotPath(slot);
    return new SlotWriter(
      this.inDir(() => openSync(path, keep && existsSync(path) ? 'r+' : 'w')),
      this.durable,
    );
  }

  private readJson<T>(name: string): T | undefined {
    const path = join(this.dir, name);
    try {
      const bytes = readIfExists(path);
      return bytes && (JSON.parse(bytes.toString('utf8')) as T);
    } catch (error) {
      throw new DeviceError(
        'STATE_CORRUPT',
        `${path} is not readable JSON (${(error as Error).message}); delete it to reset the device`,
      );
    }
  }

  private writeJson(name: string, value: unknown): void {
    const path = join(this.dir, name);
    const tmp = `${path}.tmp`;
    const fd = this.inDir(() => openSync(tmp, 'w'));
    try {
      writeSync(fd, JSON.stringify(value));
      if (this.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    if (this.durable) syncDir(this.dir);
  }

  /** Runs `create` in the device's folder, making the folder first if it is not there (any more). */
  private inDir<T>(create: () => T): T {
    if (!this.dirReady) {
      mkdirSync(this.dir, { recursive: true });
      this.dirReady = true;
    }
    try {
      return create();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(this.dir, { recursive: true }); // removed behind our back (a reset)
      return create();
    }
  }
}

/** A file's bytes, or undefined when it does not exist (one system call fewer than existsSync first). */
function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Positional writes into one slot file; flush() makes them durable. */
export class SlotWriter {
  private fd: number | undefined;

  constructor(
    fd: number,
    private readonly durable: boolean,
  ) {
    this.fd = fd;
  }

  write(offset: number, bytes: Uint8Array): void {
    if (this.fd === undefined) throw new DeviceError('STOPPED', 'slot file already closed');
    writeSync(this.fd, bytes, 0, bytes.length, offset);
  }

  flush(): void {
    if (this.fd !== undefined && this.durable) fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

// A rename is durable only once the directory entry is; fsync the folder (POSIX).
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself already happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
