import { sha256Hex } from '@fleetprune/protocol';
import { Classifier } from './classifier';
import { DeviceStateStore, otherSlot, SlotInfo, SlotName } from './device-state-store';
import { MonitoredModel } from './field-monitor';
import { ModelCache } from './model-cache';
import { LoadedSlot } from './ota-controller';
import { DevicePersonality } from './personality';

/** A slot's model loaded and self-tested, running on this device. */
export interface RunningModel extends LoadedSlot {
  classifier: Classifier;
  arenaUsedBytes: number;
}

/** Loads models from slot files: at boot, after an OTA, and for a rollback. */
export class SlotLoader {
  constructor(
    private readonly store: DeviceStateStore,
    private readonly cache: ModelCache,
    private readonly personality: DevicePersonality,
  ) {}

  /**
   * Parses (through the shared cache), builds this device's interpreter and runs one
   * inference as a self-test. `checkHash` re-hashes the bytes first (boot, rollback); after
   * an OTA the caller has just verified them.
   */
  load(slot: SlotName, info: SlotInfo, bytes: Uint8Array, checkHash: boolean): RunningModel {
    if (checkHash && sha256Hex(bytes) !== info.sha256)
      throw new Error(`slot ${slot} does not hold ${info.artifactId} (SHA-256 differs)`);
    const classifier = new Classifier(this.cache.get(info.sha256, bytes));
    this.cache.selfTest(info.sha256, () => classifier.selfTest());
    return {
      slot,
      info,
      classifier,
      arenaUsedBytes: classifier.cached.arenaBytes[this.personality.pointerBytes],
    };
  }

  /** The model the marker says boots, else the other verified slot (marker updated), else none. */
  boot(): RunningModel | undefined {
    const marker = this.store.readMarker();
    if (!marker.active) return undefined;
    for (const slot of [marker.active, otherSlot(marker.active)]) {
      const model = this.tryLoad(slot, marker.slots[slot]);
      if (!model) continue;
      if (slot !== marker.active) this.store.writeMarker({ ...marker, active: slot });
      return model;
    }
    return undefined;
  }

  /** Switches to the other slot if it holds a verified model that loads; undefined otherwise. */
  rollback(current: RunningModel): RunningModel | undefined {
    const marker = this.store.readMarker();
    const slot = otherSlot(current.slot);
    const model = this.tryLoad(slot, marker.slots[slot]);
    if (model) this.store.writeMarker({ ...marker, active: slot });
    return model;
  }

  /** What the field monitor needs of a running model. */
  monitored(model: RunningModel): MonitoredModel {
    return {
      classifier: model.classifier,
      artifactId: model.info.artifactId,
      modelVersion: model.info.modelVersion,
      arenaUsedBytes: model.arenaUsedBytes,
    };
  }

  private tryLoad(slot: SlotName, info: SlotInfo | undefined): RunningModel | undefined {
    if (!info) return undefined;
    const bytes = this.store.readSlot(slot);
    if (!bytes) return undefined;
    try {
      return this.load(slot, info, bytes, true);
    } catch {
      return undefined;
    }
  }
}
