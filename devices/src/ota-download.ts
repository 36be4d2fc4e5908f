import {
  CHUNK_HEADER_SIZE,
  ChunkAcceptance,
  ChunkAssembler,
  OtaChunkRequest,
  OtaOffer,
} from '@fleetprune/protocol';
import { DeviceStateStore, SlotName, SlotWriter } from './device-state-store';

/** Pull-loop timing (docs/protocol.md, "The OTA sequence", rule 3). */
export interface PullTiming {
  /** Silence before the outstanding chunks are requested again (OTA_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Cap of the doubling wait (OTA_MAX_REQUEST_TIMEOUT_MS). */
  maxRequestTimeoutMs: number;
  /** Silent rounds after which the download fails with TIMEOUT (OTA_MAX_SILENT_ROUNDS). */
  maxSilentRounds: number;
}

/** What an OtaDownload needs from its agent. */
export interface OtaDownloadDeps {
  offer: OtaOffer;
  slot: SlotName;
  store: DeviceStateStore;
  window: number;
  timing: PullTiming;
  /** Persist the flushed prefix each time it grew by this many bytes. */
  persistEveryBytes: number;
  /** Bytes already in the slot from an earlier attempt (resume), else undefined. */
  resumePrefix?: Uint8Array;
  send(request: OtaChunkRequest): void;
  /** Every chunk is stored and the slot file flushed. */
  onComplete(): void;
  onTimeout(rounds: number): void;
  /** A slot write failed (disk full, ...); the download is over. */
  onWriteFailed(error: Error): void;
  /** Each silent round that re-requests chunks. */
  onRetry?(round: number): void;
}

/**
 * One session's download into the inactive slot: keeps `window` requests in flight, writes
 * each accepted payload at its offset in the slot file, persists the contiguous prefix for a
 * resume after a reboot, and re-requests after silence with a doubling timeout.
 */
export class OtaDownload {
  readonly assembler: ChunkAssembler;
  private writer: SlotWriter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timeoutMs: number;
  private silentRounds = 0;
  private persistedPrefix = 0;
  private finished = false;
  readonly resumedBytes: number;

  constructor(private readonly deps: OtaDownloadDeps) {
    // Payloads go straight to the slot file; holding a second copy in memory per device cost a
    // fleet of simulated agents an allocation and a copy of every model.
    this.assembler = new ChunkAssembler(deps.offer, { maxInFlight: deps.window, holdBytes: false });
    this.timeoutMs = deps.timing.requestTimeoutMs;
    const prefix = deps.resumePrefix;
    if (prefix && prefix.length > 0) this.assembler.resume(prefix);
    this.resumedBytes = this.assembler.received;
    this.persistedPrefix = this.assembler.lastGoodOffset;
  }

  get offer(): OtaOffer {
    return this.deps.offer;
  }

  get slot(): SlotName {
    return this.deps.slot;
  }

  get session(): number {
    return this.deps.offer.session;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Opens the slot file, records the download, and sends the first window of requests. */
  start(): void {
    this.writer = this.deps.store.openSlotWriter(this.deps.slot, this.resumedBytes > 0);
    this.persist();
    if (this.assembler.complete) return this.complete();
    this.pump();
  }

  /** After a reconnect (the retained offer came back): ask again for whatever was in flight. */
  resume(): void {
    if (this.finished) return;
    this.assembler.retryOutstanding();
    this.silentRounds = 0;
    this.timeoutMs = this.deps.timing.requestTimeoutMs;
    this.pump();
  }

  /** While disconnected: stop the silence clock (requests cannot be answered anyway). */
  pause(): void {
    this.clearTimer();
  }

  /** Checks and stores one `ota/chunk` frame. */
  accept(frame: Uint8Array): ChunkAcceptance {
    const outcome = this.assembler.accept(frame);
    if (this.finished) return outcome;
    if (outcome.accepted) {
      try {
        this.writer!.write(outcome.offset, frame.subarray(CHUNK_HEADER_SIZE));
        if (this.assembler.lastGoodOffset - this.persistedPrefix >= this.deps.persistEveryBytes) {
          this.writer!.flush();
          this.persist();
        }
      } catch (error) {
        this.stop();
        this.deps.onWriteFailed(error as Error);
        return outcome;
      }
      this.silentRounds = 0;
      this.timeoutMs = this.deps.timing.requestTimeoutMs;
      if (outcome.complete) {
        this.complete();
        return outcome;
      }
    }
    // A corrupt or duplicate frame freed its chunk: ask for it again at once.
    this.pump();
    return outcome;
  }

  /** Ends the download without a result (cancel, replaced, agent stopping). */
  stop(): void {
    this.finished = true;
    this.clearTimer();
    this.writer?.close();
    this.writer = undefined;
  }

  private complete(): void {
    this.finished = true;
    this.clearTimer();
    try {
      this.writer?.flush();
      this.writer?.close();
      this.writer = undefined;
    } catch (error) {
      this.deps.onWriteFailed(error as Error);
      return;
    }
    this.deps.onComplete();
  }

  private pump(): void {
    for (const request of this.assembler.requests()) this.deps.send(request);
    this.armTimer();
  }

  private armTimer(): void {
    this.clearTimer();
    this.timer = setTimeout(() => this.onSilence(), this.timeoutMs);
    this.timer.unref?.();
  }

  private onSilence(): void {
    this.timer = undefined;
    if (this.finished) return;
    this.silentRounds++;
    if (this.silentRounds >= this.deps.timing.maxSilentRounds) {
      this.stop();
      this.deps.onTimeout(this.silentRounds);
      return;
    }
    this.timeoutMs = Math.min(this.timeoutMs * 2, this.deps.timing.maxRequestTimeoutMs);
    this.deps.onRetry?.(this.silentRounds);
    this.assembler.retryOutstanding();
    this.pump();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private persist(): void {
    const o = this.deps.offer;
    this.persistedPrefix = this.assembler.lastGoodOffset;
    this.deps.store.writeDownload({
      session: o.session,
      deploymentId: o.deploymentId,
      artifactId: o.artifactId,
      modelVersion: o.modelVersion,
      sha256: o.sha256,
      size: o.size,
      slot: this.deps.slot,
      prefixBytes: this.persistedPrefix,
    });
  }
}
