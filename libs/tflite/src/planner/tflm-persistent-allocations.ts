import { tensorByteSize } from '../codec/tensor-type-size';
import type { Tensor, TfliteModel } from '../model/tflite-model';
import { ARENA_ALIGNMENT } from './memory-planner';
import { kernelFootprint } from './tflm-kernel-sizes';

/** One allocation TFLM makes in the persistent (tail) section of the arena. */
export interface PersistentAllocation {
  what: string;
  bytes: number;
  alignment: number;
}

/** Pointer width of the target build: 8 for the x86-64 host build, 4 for ESP32/Cortex-M. */
export type PointerBytes = 4 | 8;

/**
 * The persistent allocations a TFLM MicroInterpreter makes for `model`, in the order it makes
 * them (tensorflow/lite/micro/micro_allocator.cc, micro_interpreter.cc and the kernels):
 *
 * 1. allocator objects: SingleArenaBufferAllocator, GreedyMemoryPlanner, MicroAllocator
 *    (each ~9 pointer-sized fields), MicroBuiltinDataAllocator (vtable + pointer);
 * 2. per subgraph: SubgraphAllocations (2 pointers), one TfLiteEvalTensor per tensor
 *    (data, dims, type) and one NodeAndRegistration per operator (TfLiteNode: 6 pointers +
 *    an int, then the registration pointer);
 * 3. per operator: parsed builtin options, kernel OpData (16-aligned) and, for conv-like
 *    kernels, int32 per-channel multiplier and shift arrays (16-aligned, one each);
 *    int16 SOFTMAX also keeps two 513-entry int16 lookup tables;
 * 4. variable tensors' data (16-aligned);
 * 5. the interpreter's input/output TfLiteTensor structs with their TfLiteAffineQuantization
 *    and zero-point TfLiteIntArray (scales stay in the flatbuffer), plus the pointer arrays.
 *
 * Scratch buffers do not appear: TFLM's reference kernels for these ops request none.
 */
export function tflmPersistentAllocations(model: TfliteModel, p: PointerBytes = 8): PersistentAllocation[] {
  const out: PersistentAllocation[] = [];
  const add = (what: string, bytes: number, alignment: number = p): void => {
    if (bytes > 0) out.push({ what, bytes, alignment });
  };
  add('SingleArenaBufferAllocator', 9 * p);
  add('GreedyMemoryPlanner', 9 * p);
  add('MicroAllocator', 9 * p);
  add('MicroBuiltinDataAllocator', 2 * p);
  add('SubgraphAllocations', 2 * p * model.subgraphs.length);

  for (const [g, graph] of model.subgraphs.entries()) {
    add(`subgraph ${g} TfLiteEvalTensor[${graph.tensors.length}]`, graph.tensors.length * (2 * p + p));
    add(`subgraph ${g} NodeAndRegistration[${graph.operators.length}]`, graph.operators.length * (7 * p + p));
  }
  for (const [g, graph] of model.subgraphs.entries()) {
    for (const [i, op] of graph.operators.entries()) {
      const code = model.operatorCodes[op.opcodeIndex].builtinCode;
      add(`${g}:${i} ${code} params`, kernelFootprint(code).params, 4);
    }
  }
  for (const [g, graph] of model.subgraphs.entries()) {
    for (const [i, op] of graph.operators.entries()) {
      const code = model.operatorCodes[op.opcodeIndex].builtinCode;
      const footprint = kernelFootprint(code);
      add(`${g}:${i} ${code} OpData`, footprint.opData(p), ARENA_ALIGNMENT);
      const filter = op.inputs[1] >= 0 ? graph.tensors[op.inputs[1]] : undefined;
      const channels = filter ? perChannelCount(code, filter, footprint.perChannel) : 0;
      add(`${g}:${i} ${code} per-channel multipliers`, 4 * channels, ARENA_ALIGNMENT);
      add(`${g}:${i} ${code} per-channel shifts`, 4 * channels, ARENA_ALIGNMENT);
      if (code === 'SOFTMAX' && graph.tensors[op.inputs[0]]?.type === 'INT16') {
        add(`${g}:${i} SOFTMAX exp LUT`, 513 * 2, ARENA_ALIGNMENT);
        add(`${g}:${i} SOFTMAX 1/(1+x) LUT`, 513 * 2, ARENA_ALIGNMENT);
      }
    }
  }
  for (const graph of model.subgraphs) {
    for (const t of graph.tensors)
      if (t.isVariable) add(`variable ${t.name}`, tensorByteSize(t), ARENA_ALIGNMENT);
  }
  const main = model.subgraphs[0];
  for (const [kind, list] of [
    ['input', main.inputs],
    ['output', main.outputs],
  ] as const) {
    add(`${kind} TfLiteTensor* array`, list.length * p, ARENA_ALIGNMENT);
    for (const t of list) {
      const tensor = main.tensors[t];
      // TfLiteTensor (static-memory build): type, data, dims, params, allocation type, bytes,
      // quantization {type, params}, is_variable.
      add(`${kind} TfLiteTensor '${tensor.name}'`, p === 8 ? 72 : 40);
      const channels = tensor.quantization?.scale.length ?? 0;
      if (channels > 0 && (tensor.quantization?.zeroPoint.length ?? 0) > 0) {
        add(`${kind} TfLiteAffineQuantization`, 3 * p);
        add(`${kind} zero points`, 4 + 4 * channels, 4);
      }
    }
  }
  return out;
}

/** Bytes the allocations take when stacked downward from a 16-aligned end, with padding. */
export function stackedBytes(allocations: readonly PersistentAllocation[]): number {
  let tail = 0;
  for (const a of allocations) tail = Math.floor((tail - a.bytes) / a.alignment) * a.alignment;
  return 0 - tail; // Not `-tail`, which is -0 for an empty list.
}

function perChannelCount(
  code: string,
  filter: Tensor,
  rule: 'always' | 'per-channel-filter' | undefined,
): number {
  if (!rule) return 0;
  if (rule === 'per-channel-filter' && (filter.quantization?.scale.length ?? 0) <= 1) return 0;
  // Conv filters are [out, h, w, in]; depthwise filters are [1, h, w, out]; FC weights [out, in].
  const dim = code === 'DEPTHWISE_CONV_2D' ? 3 : 0;
  return filter.shape[dim] ?? 0;
}
