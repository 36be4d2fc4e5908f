/** Agreement figures between two engines' int8 outputs for the same inputs. */
import { Interpreter, quantizePixel, type TfliteModel } from '@fleetprune/tflite';
import type { ImageSet } from '@fleetprune/datasets';
import { ConformanceError } from './conformance-error';

/** How far engine B's int8 outputs are from engine A's over a batch. */
export interface OutputComparison {
  images: number;
  /** Largest |a - b| over every output value of every image. */
  maxAbsDiff: number;
  /** Output values (not images) that differ at all, and how many were compared. */
  differingValues: number;
  totalValues: number;
  /** `histogram[d]` = output values differing by exactly d LSB. */
  histogram: number[];
  /** Images whose argmax class is the same in both engines. */
  argmaxAgree: number;
  /** Indices of images whose argmax differs. */
  disagreements: number[];
}

/** Index of the largest value; ties go to the lowest index, as TFLM's examples pick them. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Compares two engines' outputs image by image (same order, same lengths). */
export function compareOutputs(a: readonly Int8Array[], b: readonly Int8Array[]): OutputComparison {
  if (a.length !== b.length) {
    throw new ConformanceError('INVALID_INPUT', `compareOutputs: ${a.length} vs ${b.length} output records.`);
  }
  const c: OutputComparison = {
    images: a.length,
    maxAbsDiff: 0,
    differingValues: 0,
    totalValues: 0,
    histogram: [0],
    argmaxAgree: 0,
    disagreements: [],
  };
  a.forEach((x, n) => {
    const y = b[n];
    if (x.length !== y.length) {
      throw new ConformanceError(
        'INVALID_INPUT',
        `compareOutputs: record ${n} has ${x.length} vs ${y.length} values.`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i] - y[i]);
      while (c.histogram.length <= d) c.histogram.push(0);
      c.histogram[d]++;
      if (d > 0) c.differingValues++;
      c.maxAbsDiff = Math.max(c.maxAbsDiff, d);
    }
    c.totalValues += x.length;
    if (argmax(x) === argmax(y)) c.argmaxAgree++;
    else c.disagreements.push(n);
  });
  return c;
}

/** Quantizes images (pixels x `pixelScale`) into int8 input records as a device would. */
export function int8Inputs(
  set: ImageSet,
  scale: number,
  zeroPoint: number,
  pixelScale = 1 / 255,
): Int8Array[] {
  const table = Int8Array.from({ length: 256 }, (_, p) => quantizePixel(p, pixelScale, scale, zeroPoint));
  const pixels = set.height * set.width * set.channels;
  return Array.from({ length: set.count }, (_, n) => {
    const record = new Int8Array(pixels);
    for (let i = 0; i < pixels; i++) record[i] = table[set.images[n * pixels + i]];
    return record;
  });
}

/** Runs every record through fleetprune's reference interpreter (TFLM kernel arithmetic). */
export function runInterpreter(model: TfliteModel, inputs: readonly Int8Array[]): Int8Array[] {
  const interpreter = new Interpreter(model).allocate();
  return inputs.map((x) => {
    interpreter.setInput(0, x);
    interpreter.invoke();
    return interpreter.output(0) as Int8Array;
  });
}
