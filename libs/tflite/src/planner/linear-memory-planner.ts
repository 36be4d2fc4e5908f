import { alignUp, type BufferRequest, type MemoryPlan, type MemoryPlanner } from './memory-planner';

/**
 * Gives every buffer its own bytes, one after another, ignoring lifetimes. Wasteful but
 * obviously correct: it is the upper bound and the oracle the greedy planner is tested against.
 */
export class LinearMemoryPlanner implements MemoryPlanner {
  readonly name = 'linear';

  plan(requests: readonly BufferRequest[]): MemoryPlan {
    const offsets: number[] = [];
    let size = 0;
    for (const r of requests) {
      offsets.push(size);
      size += alignUp(r.size);
    }
    return { offsets, size };
  }
}
