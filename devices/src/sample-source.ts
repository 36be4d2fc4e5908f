import { createRng, DatasetName, ImageSet, loadDataset, seededShuffle } from '@fleetprune/datasets';
import { DeviceError } from './device-error';
import { InputShift, rowsByClass } from './input-shift';
import { ShiftSpec, validateShiftSpec } from './shift-spec';

/** One labelled input as a camera would deliver it: uint8 pixels, NHWC, one image. */
export interface Sample {
  pixels: Uint8Array;
  label: number;
  /** Position in the source's order (before wrapping), for reproducing a run. */
  index: number;
  /** True when the drift knob corrupted this sample. */
  drifted: boolean;
  /** True when a distribution shift (setShift) replaced or changed this sample. */
  shifted: boolean;
}

/** Distribution shift to simulate field conditions: a fraction of samples is corrupted. */
export interface DriftSpec {
  /** Share of samples corrupted, 0..1. */
  fraction: number;
  /** `invert`: 255 - x (a negative image); `noise`: uniform noise of +-amplitude added. */
  kind: 'invert' | 'noise';
  /** Noise amplitude in pixel units (default 96). */
  amplitude?: number;
  /** Picks which samples drift (default 1). */
  seed?: number;
}

/** Options of SampleSource. */
export interface SampleSourceOptions {
  /** Seed of a shuffle of the set's order; undefined keeps the file order. */
  shuffleSeed?: number;
  drift?: DriftSpec;
  /** A distribution shift from the first sample on (see ShiftSpec). */
  shift?: ShiftSpec;
}

/** Options of SampleSource.fromDataset. */
export interface DatasetSourceOptions extends SampleSourceOptions {
  /** Which split to draw from (default `test`: the model never trained on it). */
  split?: 'test' | 'train';
  /** Dataset folder (default: the loader's). */
  dir?: string;
}

const loaded = new Map<string, ReturnType<typeof loadDataset>>();

/**
 * Labelled images shared by any number of agents: the pixels are loaded once and every agent
 * reads them through its own cursor, so 1,000 agents cost one copy of the dataset.
 */
export class SampleSource {
  readonly count: number;
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  private readonly pixelsPer: number;
  private readonly order: Uint32Array | undefined;
  private driftSpec: DriftSpec | undefined;
  private inputShift: InputShift | undefined;
  private classIndex: Uint32Array[] | undefined;

  constructor(
    readonly set: ImageSet,
    options: SampleSourceOptions = {},
  ) {
    if (set.count < 1) throw new DeviceError('BAD_OPTION', 'a sample source needs at least one image');
    this.count = set.count;
    this.shape = [set.height, set.width, set.channels];
    this.classNames = set.classNames;
    this.pixelsPer = set.height * set.width * set.channels;
    this.order =
      options.shuffleSeed === undefined ? undefined : seededShuffle(set.count, options.shuffleSeed);
    this.setDrift(options.drift);
    this.setShift(options.shift);
  }

  /** A source over a named dataset's split; the dataset is read once per process and folder. */
  static fromDataset(name: DatasetName, options: DatasetSourceOptions = {}): SampleSource {
    const key = `${name}\u0000${options.dir ?? ''}`;
    let sets = loaded.get(key);
    if (!sets) {
      sets = loadDataset(name, options.dir === undefined ? {} : { dir: options.dir });
      loaded.set(key, sets);
    }
    return new SampleSource(sets[options.split ?? 'test'], options);
  }

  /** Changes the drift from now on (undefined: none); agents see it at their next sample. */
  setDrift(drift: DriftSpec | undefined): void {
    if (drift && !(drift.fraction >= 0 && drift.fraction <= 1))
      throw new DeviceError('BAD_OPTION', `drift fraction must be 0..1, got ${drift.fraction}`);
    this.driftSpec = drift;
  }

  get drift(): DriftSpec | undefined {
    return this.driftSpec;
  }

  /**
   * Changes the distribution shift from now on (undefined: none); checked against this
   * source's classes (BAD_SHIFT). Applied before the drift knob, which keeps working on top.
   */
  setShift(spec: ShiftSpec | undefined): void {
    if (!spec) {
      this.inputShift = undefined;
      return;
    }
    validateShiftSpec(spec, { classCount: this.classNames.length });
    // The per-class index is built the first time a class-mix shift needs it, then kept.
    this.inputShift = new InputShift(
      spec,
      () => (this.classIndex ??= rowsByClass(this.set.labels, this.classNames.length)),
    );
  }

  get shift(): ShiftSpec | undefined {
    return this.inputShift?.spec;
  }

  /** Sample number `index` of this source's order (wrapping around), drift applied. */
  at(index: number): Sample {
    const i = ((index % this.count) + this.count) % this.count;
    const shift = this.inputShift;
    const replaced = shift?.row(index);
    const row = replaced ?? (this.order ? this.order[i] : i);
    const original = this.set.images.subarray(row * this.pixelsPer, (row + 1) * this.pixelsPer);
    const pixels = shift ? shift.pixels(original, index) : original;
    const label = this.set.labels[row];
    const shifted = replaced !== undefined || pixels !== original;
    const drift = this.driftSpec;
    if (!drift || drift.fraction === 0) return { pixels, label, index, drifted: false, shifted };
    // One generator per sample index: whether and how a sample drifts does not depend on
    // which agent reads it or in what order.
    const rng = createRng(((drift.seed ?? 1) * 0x9e3779b1 + index) | 0);
    if (rng() >= drift.fraction) return { pixels, label, index, drifted: false, shifted };
    return { pixels: corrupt(pixels, drift, rng), label, index, drifted: true, shifted };
  }

  /** An independent reader starting at `start`. */
  cursor(start = 0): SampleCursor {
    return new SampleCursor(this, start);
  }
}

/** One agent's position in a shared SampleSource. */
export class SampleCursor {
  constructor(
    readonly source: SampleSource,
    private position: number,
  ) {}

  /** The next sample, advancing the cursor. */
  next(): Sample {
    return this.source.at(this.position++);
  }

  /** How many samples this cursor handed out since `start`. */
  get index(): number {
    return this.position;
  }
}

function corrupt(pixels: Uint8Array, drift: DriftSpec, rng: () => number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  if (drift.kind === 'invert') {
    for (let i = 0; i < pixels.length; i++) out[i] = 255 - pixels[i];
    return out;
  }
  const amplitude = drift.amplitude ?? 96;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] + Math.round((rng() * 2 - 1) * amplitude);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
