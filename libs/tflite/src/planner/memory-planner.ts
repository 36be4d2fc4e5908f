/** One buffer to place in the arena: its size and the operator steps during which it lives. */
export interface BufferRequest {
  /** Bytes; planners round it up to `ARENA_ALIGNMENT`. */
  size: number;
  /** Index of the first operator that needs the buffer (0 for graph inputs). */
  firstUse: number;
  /** Index of the last operator that needs the buffer, inclusive. */
  lastUse: number;
}

/** Where each request landed, in request order, and the arena bytes the plan needs. */
export interface MemoryPlan {
  offsets: number[];
  size: number;
}

/** Places buffers in one arena so that buffers alive at the same time never share bytes. */
export interface MemoryPlanner {
  readonly name: string;
  plan(requests: readonly BufferRequest[]): MemoryPlan;
}

/** Alignment of every arena buffer, as TFLM's MicroArenaBufferAlignment() (16 bytes). */
export const ARENA_ALIGNMENT = 16;

/** Rounds `bytes` up to a multiple of `alignment`. */
export function alignUp(bytes: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(bytes / alignment) * alignment;
}

/** True when two requests are needed during at least one common operator step. */
export function lifetimesOverlap(a: BufferRequest, b: BufferRequest): boolean {
  return a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
}
