import {
  alignUp,
  lifetimesOverlap,
  type BufferRequest,
  type MemoryPlan,
  type MemoryPlanner,
} from './memory-planner';

/**
 * The greedy "largest first" arena planner, the same strategy as TFLM's GreedyMemoryPlanner:
 *
 * 1. Round every size up to 16 bytes and sort the buffers by size, largest first (ties keep
 *    request order, so the plan is deterministic).
 * 2. For each buffer in that order, look only at the buffers already placed whose lifetimes
 *    overlap its own, sorted by offset.
 * 3. Place it at the lowest offset (0, or the end of one of those buffers) where it fits in the
 *    gap before the next one; otherwise after the last of them.
 *
 * Limits, as in TFLM: not optimal (the problem is NP-hard); O(n^2 log n) in the number of
 * buffers, which is fine for the hundreds of tensors of a microcontroller model.
 */
export class GreedyMemoryPlanner implements MemoryPlanner {
  readonly name = 'greedy';

  plan(requests: readonly BufferRequest[]): MemoryPlan {
    const order = requests
      .map((r, i) => ({ r, i, size: alignUp(r.size) }))
      .sort((a, b) => b.size - a.size || a.i - b.i);
    const offsets = new Array<number>(requests.length).fill(0);
    const placed: { r: BufferRequest; offset: number; size: number }[] = [];
    let size = 0;

    for (const next of order) {
      const neighbours = placed
        .filter((p) => lifetimesOverlap(p.r, next.r))
        .sort((a, b) => a.offset - b.offset);
      let candidate = 0;
      for (const p of neighbours) {
        if (candidate + next.size <= p.offset) break; // Fits in the gap before p.
        candidate = Math.max(candidate, p.offset + p.size);
      }
      offsets[next.i] = candidate;
      placed.push({ r: next.r, offset: candidate, size: next.size });
      size = Math.max(size, candidate + next.size);
    }
    return { offsets, size };
  }
}
