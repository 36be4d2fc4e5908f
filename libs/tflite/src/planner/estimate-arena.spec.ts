import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { estimateArena } from './estimate-arena';
import { LinearMemoryPlanner } from './linear-memory-planner';
import { stackedBytes, tflmPersistentAllocations } from './tflm-persistent-allocations';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const read = (name: string) => readModel(readFileSync(join(DIR, name)));

// arena_used_bytes reported by a host (x86-64) build of TensorFlow Lite Micro.
const TFLM_ARENA_USED: [string, number][] = [
  ['person_detect.tflite', 85_024],
  ['hello_world_int8.tflite', 1_184],
];

describe(estimateArena.name, () => {
  it.each(TFLM_ARENA_USED)(
    '%s: total is at least TFLM arena_used_bytes (%i) and at most 10 %% above',
    (name, tflm) => {
      const estimate = estimateArena(read(name));
      expect(estimate.total).toBe(estimate.planned + estimate.overhead);
      expect(estimate.total).toBeGreaterThanOrEqual(tflm);
      expect(estimate.total).toBeLessThanOrEqual(tflm * 1.1);
    },
  );

  it('reports a 16-aligned placement for every activation of person_detect', () => {
    const estimate = estimateArena(read('person_detect.tflite'));
    expect(estimate.offsets.length).toBeGreaterThan(28);
    for (const p of estimate.offsets) {
      expect(p.offset % 16).toBe(0);
      expect(p.offset + p.size).toBeLessThanOrEqual(estimate.planned);
    }
  });

  it('allows for per-channel multiplier and shift arrays of every conv and depthwise op', () => {
    const model = read('person_detect.tflite');
    const g = model.subgraphs[0];
    let expected = 0;
    for (const op of g.operators) {
      const code = model.operatorCodes[op.opcodeIndex].builtinCode;
      const filter = g.tensors[op.inputs[1]];
      if (code === 'CONV_2D') expected += 2 * Math.ceil((4 * filter.shape[0]) / 16) * 16;
      if (code === 'DEPTHWISE_CONV_2D') expected += 2 * Math.ceil((4 * filter.shape[3]) / 16) * 16;
    }
    const perChannel = tflmPersistentAllocations(model)
      .filter((a) => a.what.includes('per-channel'))
      .reduce((n, a) => n + Math.ceil(a.bytes / 16) * 16, 0);
    expect(perChannel).toBe(expected);
    // hello_world's FC weights are per-tensor, so TFLM allocates no per-channel arrays.
    expect(
      tflmPersistentAllocations(read('hello_world_int8.tflite')).some((a) => a.what.includes('per-channel')),
    ).toBe(false);
  });

  it('shrinks the bookkeeping for 32-bit targets and grows the plan with the linear planner', () => {
    const model = read('person_detect.tflite');
    const host = estimateArena(model);
    expect(estimateArena(model, { pointerBytes: 4 }).overhead).toBeLessThan(host.overhead);
    expect(estimateArena(model, { planner: new LinearMemoryPlanner() }).planned).toBeGreaterThan(
      host.planned,
    );
    expect(host.overhead).toBeGreaterThanOrEqual(stackedBytes(host.allocations));
  });
});

describe(stackedBytes.name, () => {
  it('pads each allocation to its alignment as it stacks downward', () => {
    expect(stackedBytes([])).toBe(0);
    expect(
      stackedBytes([
        { what: 'a', bytes: 4, alignment: 4 },
        { what: 'b', bytes: 8, alignment: 16 },
      ]),
    ).toBe(16);
    expect(
      stackedBytes([
        { what: 'a', bytes: 20, alignment: 16 },
        { what: 'b', bytes: 4, alignment: 4 },
      ]),
    ).toBe(36);
  });
});
