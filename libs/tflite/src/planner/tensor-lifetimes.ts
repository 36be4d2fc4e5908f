import { tensorByteSize } from '../codec/tensor-type-size';
import type { TfliteModel } from '../model/tflite-model';
import type { BufferRequest } from './memory-planner';

/** An arena buffer request for one tensor of a subgraph. */
export interface TensorLifetime extends BufferRequest {
  tensor: number;
}

/**
 * Lifetimes of the tensors of one subgraph that live in the arena, following TFLM's
 * AllocationInfoBuilder: graph inputs live from step 0, a tensor is created by the first
 * operator that outputs it and lives until the last operator that reads it, and graph outputs
 * live to the last step. Constant tensors (a non-empty buffer) stay in flash and variable
 * tensors sit in TFLM's persistent area, so neither takes planned arena space; tensors no
 * operator touches are skipped too.
 */
export function tensorLifetimes(model: TfliteModel, subgraph = 0): TensorLifetime[] {
  const graph = model.subgraphs[subgraph];
  const last = Math.max(graph.operators.length - 1, 0);
  const first = new Map<number, number>();
  const end = new Map<number, number>();
  const planned = (t: number): boolean =>
    t >= 0 && model.buffers[graph.tensors[t].buffer].length === 0 && !graph.tensors[t].isVariable;

  for (const t of graph.inputs) if (planned(t)) first.set(t, 0);
  graph.operators.forEach((op, step) => {
    for (const t of op.inputs) {
      if (!planned(t)) continue;
      // An input nobody produced (malformed graph) is treated as alive from the start.
      if (!first.has(t)) first.set(t, 0);
      end.set(t, step);
    }
    for (const t of op.outputs) {
      if (!planned(t)) continue;
      if (!first.has(t)) first.set(t, step);
      end.set(t, Math.max(end.get(t) ?? step, step));
    }
  });
  for (const t of graph.outputs) if (planned(t)) end.set(t, last);

  return [...first.keys()]
    .sort((a, b) => a - b)
    .map((tensor) => ({
      tensor,
      size: tensorByteSize(graph.tensors[tensor]),
      firstUse: first.get(tensor)!,
      lastUse: end.get(tensor) ?? first.get(tensor)!,
    }));
}
