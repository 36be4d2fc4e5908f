import { tensorByteSize } from '../codec/tensor-type-size';
import { writeModel } from '../codec/write-model';
import type { QuantizationParams, TensorTypeName, TfliteModel } from '../model/tflite-model';
import { estimateArena, type ArenaOptions } from './estimate-arena';

/** One operator kind of the model and how often the main subgraph uses it. */
export interface OpSummary {
  op: string;
  version: number;
  count: number;
}

/** One tensor of the main subgraph as `fleetprune inspect` lists it. */
export interface TensorSummary {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: number[];
  quantization?: QuantizationParams;
  /** Constant tensors live in flash; the others in the arena. */
  constant: boolean;
  bytes: number;
}

/** What a device needs to know about a model: ops to register, flash and RAM to reserve. */
export interface ModelSummary {
  description: string;
  ops: OpSummary[];
  tensors: TensorSummary[];
  inputs: number[];
  outputs: number[];
  /** Size of the `.tflite` file: what the model takes in flash. */
  flashBytes: number;
  /** `estimateArena(model).total`: the tensor arena to reserve in RAM. */
  arenaBytes: number;
  arenaPlannedBytes: number;
  arenaOverheadBytes: number;
}

/** Options of `modelSummary`: the file size when known (else the model is re-serialised). */
export interface ModelSummaryOptions extends Partial<ArenaOptions> {
  fileBytes?: number;
}

/**
 * Summarises a model for `fleetprune inspect`: operators with counts (op resolver), tensors
 * with type/shape/quantization, flash bytes and estimated arena bytes.
 */
export function modelSummary(model: TfliteModel, opts: ModelSummaryOptions = {}): ModelSummary {
  const { fileBytes, ...arenaOptions } = opts;
  const graph = model.subgraphs[0];
  const counts = new Map<number, number>();
  for (const op of graph.operators) counts.set(op.opcodeIndex, (counts.get(op.opcodeIndex) ?? 0) + 1);
  const ops = [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, count]) => {
      const code = model.operatorCodes[index];
      return { op: code.customCode ?? code.builtinCode, version: code.version, count };
    });
  const tensors = graph.tensors.map((t, index): TensorSummary => {
    const summary: TensorSummary = {
      index,
      name: t.name,
      type: t.type,
      shape: [...t.shape],
      constant: model.buffers[t.buffer].length > 0,
      bytes: tensorByteSize(t),
    };
    if (t.quantization) summary.quantization = t.quantization;
    return summary;
  });
  const arena = estimateArena(model, arenaOptions);
  return {
    description: model.description,
    ops,
    tensors,
    inputs: [...graph.inputs],
    outputs: [...graph.outputs],
    flashBytes: fileBytes ?? writeModel(model).length,
    arenaBytes: arena.total,
    arenaPlannedBytes: arena.planned,
    arenaOverheadBytes: arena.overhead,
  };
}
