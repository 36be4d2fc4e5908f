import {
  isOfferWithdrawal,
  OtaChunkRequest,
  OtaFailureReason,
  OtaOffer,
  OtaOutcome,
  OtaPhase,
  OtaProgress,
  OtaResult,
  PROTOCOL_VERSION,
  sha256Hex,
} from '@fleetprune/protocol';
import { DeviceStateStore, DownloadRecord, otherSlot, SlotInfo, SlotName } from './device-state-store';
import { checkOffer, DeviceCapacity, readOffer, truncate } from './offer-check';
import { OtaDownload, PullTiming } from './ota-download';

/** A model loaded from a slot, ready to run. */
export interface LoadedSlot {
  slot: SlotName;
  info: SlotInfo;
}

/** What the OTA controller needs from its agent. */
export interface OtaHost<M extends LoadedSlot> {
  readonly store: DeviceStateStore;
  readonly capacity: DeviceCapacity;
  readonly timing: PullTiming;
  readonly window: number;
  readonly persistEveryBytes: number;
  active(): M | undefined;
  /**
   * Whether `signature` verifies for these bytes, whose SHA-256 the caller has just checked
   * equals `sha256`; throws when the key cannot be read.
   */
  signatureValid(bytes: Uint8Array, sha256: string, signature: string): boolean;
  /** Loads and self-tests a verified slot; throws when the model cannot run. */
  load(slot: SlotName, info: SlotInfo, bytes: Uint8Array): M;
  /** Makes `model` the running one. */
  activate(model: M): void;
  sendRequest(request: OtaChunkRequest): void;
  sendProgress(progress: OtaProgress): void;
  sendResult(result: OtaResult): void;
  publishStatus(): void;
  offerSeen(offer: OtaOffer): void;
  /** A silent round re-requested the outstanding chunks. */
  retried(): void;
}

/**
 * The device side of docs/protocol.md "The OTA sequence": idempotent offers, refusal before
 * download, one download into the inactive slot, verification, activation with self-test
 * and rollback, cancellation, and resume after a reconnect or a reboot.
 */
export class OtaController<M extends LoadedSlot> {
  private download: OtaDownload | undefined;
  /** A download found on disk at boot, resumed when its artifact is offered again. */
  private pending: DownloadRecord | undefined;
  /** Sessions that got a final result: a redelivered retained offer of one is ignored. */
  private readonly ended = new Set<number>();

  constructor(private readonly host: OtaHost<M>) {
    this.pending = host.store.readDownload();
  }

  /** The session being downloaded, for `status.otaSession`. */
  get session(): number | undefined {
    return this.download && !this.download.done ? this.download.session : this.pending?.session;
  }

  /** Bytes received and total of the download in progress. */
  get progress(): { received: number; total: number } | undefined {
    const d = this.download;
    return d && !d.done ? { received: d.assembler.received, total: d.offer.size } : undefined;
  }

  /** Handles an `ota/offer` payload; throws ProtocolError for a malformed one. */
  handleOffer(payload: Uint8Array): void {
    if (isOfferWithdrawal(payload)) {
      if (this.download && !this.download.done) this.cancel(this.download.session, 'offer withdrawn');
      return;
    }
    const { offer, unknownAlgorithm } = readOffer(payload);
    this.host.offerSeen(offer);
    const active = this.host.active();
    if (active?.info.artifactId === offer.artifactId) {
      this.dropDownload();
      return this.finish(offer, 'activated');
    }
    const current = this.download && !this.download.done ? this.download : undefined;
    if (current?.session === offer.session) return current.resume();
    if (this.ended.has(offer.session)) return;
    const refusal = checkOffer(offer, this.host.capacity, unknownAlgorithm);
    if (refusal) {
      this.dropDownload();
      return this.finish(offer, 'refused', refusal.reason, refusal.detail);
    }
    this.begin(offer, active?.slot);
  }

  /** Handles an `ota/chunk` frame; false when no download wanted it. */
  handleChunk(frame: Uint8Array): ReturnType<OtaDownload['accept']> | undefined {
    const d = this.download;
    return d && !d.done ? d.accept(frame) : undefined;
  }

  /** `cmd cancel-ota` or a withdrawn offer: stop, keep the active model, report CANCELLED. */
  cancel(session: number, detail: string): boolean {
    const d = this.download;
    if (!d || d.done || d.session !== session) {
      this.ended.add(session); // a redelivered offer of a cancelled session must not start it
      return false;
    }
    d.stop();
    this.discard(d.slot);
    this.finish(d.offer, 'failed', 'CANCELLED', detail);
    return true;
  }

  onDisconnect(): void {
    this.download?.pause();
  }

  /** Stops the pull loop; the partial slot and download.json stay for a resume. */
  stop(): void {
    this.download?.stop();
  }

  private begin(offer: OtaOffer, activeSlot: SlotName | undefined): void {
    const slot = activeSlot ? otherSlot(activeSlot) : 'a';
    let prefix: Uint8Array | undefined;
    const old = this.download && !this.download.done ? this.download : undefined;
    if (old && old.offer.sha256 === offer.sha256 && old.offer.size === offer.size && old.slot === slot)
      prefix = this.host.store.readSlotPrefix(slot, old.assembler.lastGoodOffset);
    else if (
      this.pending?.sha256 === offer.sha256 &&
      this.pending.size === offer.size &&
      this.pending.slot === slot
    )
      prefix = this.host.store.readSlotPrefix(slot, this.pending.prefixBytes);
    old?.stop();
    this.pending = undefined;
    if (!prefix) {
      // The inactive slot is about to be overwritten: it no longer holds a model to roll back to.
      const marker = this.host.store.readMarker();
      if (marker.slots[slot]) {
        delete marker.slots[slot];
        this.host.store.writeMarker(marker);
      }
    }
    const download = new OtaDownload({
      offer,
      slot,
      store: this.host.store,
      window: this.host.window,
      timing: this.host.timing,
      persistEveryBytes: this.host.persistEveryBytes,
      resumePrefix: prefix,
      send: (r) => this.host.sendRequest(r),
      onRetry: () => this.host.retried(),
      onComplete: () => this.complete(download),
      onTimeout: (rounds) => {
        this.pending = this.host.store.readDownload(); // keep the prefix: a later offer resumes
        this.finish(offer, 'failed', 'TIMEOUT', `no chunk for ${rounds} request rounds`);
      },
      onWriteFailed: (error) => {
        this.discard(slot);
        this.finish(offer, 'failed', 'WRITE_FAILED', truncate(error.message));
      },
    });
    this.download = download;
    this.progressOf(offer, 'downloading', download.assembler.received);
    try {
      download.start();
    } catch (error) {
      download.stop();
      this.discard(slot);
      return this.finish(offer, 'failed', 'WRITE_FAILED', truncate((error as Error).message));
    }
    this.host.publishStatus();
  }

  private complete(download: OtaDownload): void {
    const { offer, slot } = download;
    // Chunks went to the slot as they arrived, so there is no separate `writing` phase to report.
    this.progressOf(offer, 'verifying', offer.size);
    const bytes = this.host.store.readSlot(slot);
    const failure = this.verify(offer, bytes);
    if (failure) {
      this.discard(slot);
      return this.finish(offer, 'failed', failure.reason, failure.detail);
    }
    this.progressOf(offer, 'activating', offer.size);
    const info: SlotInfo = {
      artifactId: offer.artifactId,
      modelVersion: offer.modelVersion,
      sha256: offer.sha256,
      size: offer.size,
    };
    const marker = this.host.store.readMarker();
    const previous = marker.active;
    // The slot file was flushed by the download; only now may the marker point at it.
    this.host.store.writeMarker({ active: slot, slots: { ...marker.slots, [slot]: info } });
    let model: M;
    try {
      model = this.host.load(slot, info, bytes!);
    } catch (error) {
      const slots = { ...marker.slots };
      delete slots[slot];
      this.host.store.writeMarker({ active: previous, slots });
      this.discard(slot);
      return this.finish(offer, 'rolled_back', 'ACTIVATION_FAILED', truncate((error as Error).message));
    }
    this.host.store.clearDownload();
    this.host.activate(model);
    this.finish(offer, 'activated');
  }

  private verify(
    offer: OtaOffer,
    bytes: Uint8Array | undefined,
  ): { reason: OtaFailureReason; detail: string } | undefined {
    if (!bytes || bytes.length !== offer.size)
      return {
        reason: 'SIZE_MISMATCH',
        detail: `slot holds ${bytes?.length ?? 0} bytes, offer says ${offer.size}`,
      };
    const actual = sha256Hex(bytes);
    if (actual !== offer.sha256) return { reason: 'HASH_MISMATCH', detail: `SHA-256 is ${actual}` };
    let valid = false;
    try {
      valid = this.host.signatureValid(bytes, offer.sha256, offer.signature);
    } catch (error) {
      return { reason: 'SIGNATURE_INVALID', detail: truncate((error as Error).message) };
    }
    return valid ? undefined : { reason: 'SIGNATURE_INVALID', detail: 'signature does not verify' };
  }

  /** Forgets a download in progress without a result (replaced by an offer). */
  private dropDownload(): void {
    const d = this.download;
    if (d && !d.done) {
      d.stop();
      this.discard(d.slot);
    }
  }

  /** Erases a partial or rejected inactive slot and its download record. */
  private discard(slot: SlotName): void {
    this.host.store.eraseSlot(slot);
    this.host.store.clearDownload();
    this.pending = undefined;
  }

  private progressOf(offer: OtaOffer, phase: OtaPhase, received: number): void {
    this.host.sendProgress({
      v: PROTOCOL_VERSION,
      session: offer.session,
      phase,
      received,
      total: offer.size,
    });
  }

  private finish(offer: OtaOffer, outcome: OtaOutcome, reason?: OtaFailureReason, detail?: string): void {
    this.ended.add(offer.session);
    if (this.ended.size > 64) this.ended.delete(this.ended.values().next().value as number);
    const active = this.host.active();
    const result: OtaResult = {
      v: PROTOCOL_VERSION,
      session: offer.session,
      deploymentId: offer.deploymentId,
      artifactId: offer.artifactId,
      outcome,
      reason,
      detail,
      activeArtifactId: active?.info.artifactId,
      activeModelVersion: active?.info.modelVersion,
    };
    this.host.sendResult(result);
    this.host.publishStatus();
  }
}
