import { createRng } from '@fleetprune/datasets';
import { DeviceError } from './device-error';
import { ShiftSpec } from './shift-spec';

// Seeds of the shift's per-sample generators, apart from the drift knob's (which uses 0x9e3779b1).
const CLASS_SEED = 0x85ebca6b;
const NOISE_SEED = 0xc2b2ae35;

/** Rows of each class of a label array, in row order: built once per source, shared by every shift. */
export function rowsByClass(labels: Uint8Array, classCount: number): Uint32Array[] {
  const counts = new Uint32Array(classCount);
  for (const label of labels) if (label < classCount) counts[label]++;
  const rows = Array.from(counts, (n) => new Uint32Array(n));
  const filled = new Uint32Array(classCount);
  labels.forEach((label, row) => {
    if (label < classCount) rows[label][filled[label]++] = row;
  });
  return rows;
}

/**
 * Applies a ShiftSpec to sample number `index`. Every decision comes from a generator seeded
 * by the index alone, so a sample is the same whichever agent reads it, in whatever order.
 */
export class InputShift {
  private readonly pools: Uint32Array[] = [];

  constructor(
    readonly spec: ShiftSpec,
    byClass: () => Uint32Array[],
  ) {
    if (spec.kind === 'classes') {
      const index = byClass();
      for (const c of spec.classes) {
        const pool = index[c];
        if (!pool || pool.length === 0)
          throw new DeviceError(
            'BAD_SHIFT',
            `shift: class ${c} has no samples in this source; list classes it has`,
          );
        this.pools.push(pool);
      }
    }
  }

  /** The row to show instead of the source's, or undefined to keep it (class-mix shift only). */
  row(index: number): number | undefined {
    if (this.spec.kind !== 'classes') return undefined;
    const rng = createRng(mix(CLASS_SEED, index));
    if (rng() >= this.spec.share) return undefined;
    const pool = this.pools[Math.floor(rng() * this.pools.length)];
    return pool[Math.floor(rng() * pool.length)];
  }

  /** The pixels with the noise shift added (a new array), or the same array for other kinds. */
  pixels(pixels: Uint8Array, index: number): Uint8Array {
    if (this.spec.kind !== 'noise') return pixels;
    return addGaussianNoise(pixels, this.spec.stddev * 255, createRng(mix(NOISE_SEED, index)));
  }
}

/** x + N(0, sigma^2) per element, rounded and clamped to 0..255 (Box-Muller, two normals per draw). */
export function addGaussianNoise(pixels: Uint8Array, sigma: number, rng: () => number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 2) {
    // 1 - u keeps the logarithm's argument in (0, 1].
    const radius = sigma * Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    out[i] = clamp(pixels[i] + radius * Math.cos(angle));
    if (i + 1 < pixels.length) out[i + 1] = clamp(pixels[i + 1] + radius * Math.sin(angle));
  }
  return out;
}

function clamp(v: number): number {
  const r = Math.round(v);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

function mix(seed: number, index: number): number {
  return (Math.imul(seed, 0x9e3779b1) + Math.imul(index | 0, 0x27d4eb2f)) | 0;
}
