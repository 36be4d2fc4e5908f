import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TfliteError } from '../tflite-error';
import { readModel } from './read-model';
import { writeModel } from './write-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');

/** mulberry32: a tiny seeded PRNG so every failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Byte positions outside tensor data. Flipping weight bytes only changes numbers, so mutations
 * aim at the flatbuffer structure (tables, vtables, offsets, vectors) most of the time.
 */
function structuralPositions(bytes: Uint8Array): number[] {
  const model = readModel(bytes);
  const inData = new Uint8Array(bytes.length);
  const file = Buffer.from(bytes);
  for (const data of model.buffers) {
    if (data.length < 64) continue;
    const at = file.indexOf(Buffer.from(data));
    if (at >= 0) inData.fill(1, at, at + data.length);
  }
  return [...inData.keys()].filter((i) => inData[i] === 0);
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

function mutate(original: Uint8Array, structure: number[], rand: () => number): Uint8Array {
  const bytes = new Uint8Array(original);
  const flips = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < flips; i++) {
    const useStructure = rand() < 0.9;
    const at = useStructure
      ? structure[Math.floor(rand() * structure.length)]
      : Math.floor(rand() * bytes.length);
    bytes[at] =
      rand() < 0.5 ? Math.floor(rand() * 256) : INTERESTING[Math.floor(rand() * INTERESTING.length)];
  }
  return bytes;
}

interface Outcome {
  parsed: number;
  rejected: Record<string, number>;
  slowestMs: number;
}

function attempt(bytes: Uint8Array, outcome: Outcome, checkWriter: boolean): void {
  const start = performance.now();
  try {
    const model = readModel(bytes);
    outcome.parsed++;
    // Whatever the reader accepts, the writer must be able to serialise.
    if (checkWriter) readModel(writeModel(model));
  } catch (e) {
    if (!(e instanceof TfliteError)) throw new Error(`non-TfliteError escaped: ${String(e)}`);
    outcome.rejected[e.code] = (outcome.rejected[e.code] ?? 0) + 1;
  }
  outcome.slowestMs = Math.max(outcome.slowestMs, performance.now() - start);
}

// [file, byte mutations, truncations, also round-trip accepted mutants through the writer]
const PLAN: [string, number, number, boolean][] = [
  ['hello_world_int8.tflite', 3000, 500, true],
  ['hello_world_float.tflite', 1500, 300, true],
  ['simple_add_model.tflite', 2000, 300, true],
  ['micro_speech_quantized.tflite', 1500, 300, false],
  ['person_detect.tflite', 400, 100, false],
];

describe(`${readModel.name} fuzz`, () => {
  it.each(PLAN)(
    '%s: %i byte mutations and %i truncations raise only TfliteError',
    (name, flips, cuts, writer) => {
      const original = new Uint8Array(readFileSync(join(DIR, name)));
      const structure = structuralPositions(original);
      const rand = prng(0x5eed ^ original.length);
      const outcome: Outcome = { parsed: 0, rejected: {}, slowestMs: 0 };
      for (let i = 0; i < flips; i++) attempt(mutate(original, structure, rand), outcome, writer);
      for (let i = 0; i < cuts; i++)
        attempt(original.subarray(0, Math.floor(rand() * original.length)), outcome, false);
      // A mutation must be able to break the file, or the test proves nothing.
      expect(outcome.rejected.CORRUPT_FILE ?? 0).toBeGreaterThan(flips / 20);
      expect(outcome.slowestMs).toBeLessThan(250);
    },
  );
});
