import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { GreedyMemoryPlanner } from './greedy-memory-planner';
import { LinearMemoryPlanner } from './linear-memory-planner';
import {
  ARENA_ALIGNMENT,
  alignUp,
  lifetimesOverlap,
  type BufferRequest,
  type MemoryPlan,
  type MemoryPlanner,
} from './memory-planner';
import { tensorLifetimes } from './tensor-lifetimes';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const MODELS = [
  'hello_world_int8',
  'hello_world_float',
  'person_detect',
  'micro_speech_quantized',
  'simple_add_model',
];

function randomRequests(seed: number, count: number): BufferRequest[] {
  let s = seed;
  const rand = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => {
    const firstUse = Math.floor(rand() * 40);
    return { size: 1 + Math.floor(rand() * 5000), firstUse, lastUse: firstUse + Math.floor(rand() * 8) };
  });
}

/** The contract every planner must keep: aligned offsets, no shared bytes between live buffers. */
function expectSoundPlan(requests: readonly BufferRequest[], plan: MemoryPlan): void {
  expect(plan.offsets).toHaveLength(requests.length);
  requests.forEach((a, i) => {
    expect(plan.offsets[i] % ARENA_ALIGNMENT).toBe(0);
    expect(plan.offsets[i] + alignUp(a.size)).toBeLessThanOrEqual(plan.size);
    for (let j = i + 1; j < requests.length; j++) {
      const b = requests[j];
      if (!lifetimesOverlap(a, b)) continue;
      const apart =
        plan.offsets[i] + a.size <= plan.offsets[j] || plan.offsets[j] + b.size <= plan.offsets[i];
      if (!apart) throw new Error(`requests ${i} and ${j} overlap in time and share bytes`);
    }
  });
}

const planners: MemoryPlanner[] = [new LinearMemoryPlanner(), new GreedyMemoryPlanner()];
const linear = new LinearMemoryPlanner();

describe.each(planners.map((p) => [p.name, p] as const))('%s memory planner', (_name, planner) => {
  it.each(MODELS)('plans %s soundly and never uses more than the linear planner', (name) => {
    const requests = tensorLifetimes(readModel(readFileSync(join(DIR, `${name}.tflite`))));
    const plan = planner.plan(requests);
    expectSoundPlan(requests, plan);
    expect(plan.size).toBeLessThanOrEqual(linear.plan(requests).size);
  });

  it.each([1, 2, 3, 4, 5])('plans random request set %i soundly', (seed) => {
    const requests = randomRequests(seed, 150);
    const plan = planner.plan(requests);
    expectSoundPlan(requests, plan);
    expect(plan.size).toBeLessThanOrEqual(linear.plan(requests).size);
  });

  it('plans nothing as an empty arena', () => {
    expect(planner.plan([])).toEqual({ offsets: [], size: 0 });
  });
});

describe(GreedyMemoryPlanner.name, () => {
  it('reuses bytes of buffers whose lifetimes do not overlap', () => {
    const plan = new GreedyMemoryPlanner().plan([
      { size: 100, firstUse: 0, lastUse: 1 },
      { size: 100, firstUse: 2, lastUse: 3 },
      { size: 50, firstUse: 1, lastUse: 2 },
    ]);
    expect(plan.offsets).toEqual([0, 0, 112]);
    expect(plan.size).toBe(112 + 64);
  });

  it('needs the two largest neighbouring activations of person_detect (48x48x8 + 48x48x16)', () => {
    const requests = tensorLifetimes(readModel(readFileSync(join(DIR, 'person_detect.tflite'))));
    expect(new GreedyMemoryPlanner().plan(requests).size).toBe(48 * 48 * 8 + 48 * 48 * 16);
  });
});
