import { BuiltinOptions as UnionType } from '../generated/tflite_generated';
import type { FieldLayout, TableLayout } from './flatbuffer-verifier';

/** Count limits the reader enforces while verifying; see `DEFAULT_READ_LIMITS`. */
export interface ReadLimits {
  maxBytes: number;
  maxSubgraphs: number;
  maxTensors: number;
  maxOperators: number;
  maxBuffers: number;
  maxOperatorCodes: number;
  maxRank: number;
}

const s = (id: number, size: 1 | 2 | 4 | 8): FieldLayout => ({ id, kind: 'scalar', size });
const str = (id: number): FieldLayout => ({ id, kind: 'string' });
const vec = (id: number, elemSize: 1 | 2 | 4 | 8, maxLength?: number): FieldLayout => ({
  id,
  kind: 'vector',
  elemSize,
  maxLength,
});

// Field ids below are slots of schema/tflite.fbs (a union takes two: type, then value).
const conv2d: TableLayout = {
  name: 'Conv2DOptions',
  fields: [s(0, 1), s(1, 4), s(2, 4), s(3, 1), s(4, 4), s(5, 4), s(6, 1)],
};
const depthwise: TableLayout = {
  name: 'DepthwiseConv2DOptions',
  fields: [s(0, 1), s(1, 4), s(2, 4), s(3, 4), s(4, 1), s(5, 4), s(6, 4)],
};
const pool2d: TableLayout = {
  name: 'Pool2DOptions',
  fields: [s(0, 1), s(1, 4), s(2, 4), s(3, 4), s(4, 4), s(5, 1)],
};
const fullyConnected: TableLayout = {
  name: 'FullyConnectedOptions',
  fields: [s(0, 1), s(1, 1), s(2, 1), s(3, 1), s(4, 1)],
};
const softmax: TableLayout = { name: 'SoftmaxOptions', fields: [s(0, 4)] };
const concatenation: TableLayout = { name: 'ConcatenationOptions', fields: [s(0, 4), s(1, 1)] };
const add: TableLayout = { name: 'AddOptions', fields: [s(0, 1), s(1, 1)] };
const reducer: TableLayout = { name: 'ReducerOptions', fields: [s(0, 1)] };

function optionsMembers(maxRank: number): Map<number, TableLayout> {
  const reshape: TableLayout = { name: 'ReshapeOptions', fields: [vec(0, 4, maxRank)] };
  const known = [conv2d, depthwise, pool2d, fullyConnected, softmax, concatenation, add, reducer, reshape];
  const members = new Map<number, TableLayout>();
  // Options we do not model are still checked as (empty) tables: cheap, and it keeps the
  // verifier's view of the file the same as the generated accessors'.
  for (const [name, id] of Object.entries(UnionType)) {
    if (typeof id === 'number' && id !== UnionType.NONE) members.set(id, { name, fields: [] });
  }
  for (const layout of known) members.set(UnionType[layout.name as keyof typeof UnionType], layout);
  return members;
}

/** The layout of a TFLite `Model` as far as `readModel` reads it, with the given limits. */
export function modelLayout(limits: ReadLimits): TableLayout {
  const quantization: TableLayout = {
    name: 'QuantizationParameters',
    fields: [vec(0, 4), vec(1, 4), vec(2, 4), vec(3, 8), s(4, 1), s(6, 4)],
  };
  const tensor: TableLayout = {
    name: 'Tensor',
    fields: [
      vec(0, 4, limits.maxRank),
      s(1, 1),
      s(2, 4),
      str(3),
      { id: 4, kind: 'table', table: quantization },
      s(5, 1),
      vec(7, 4, limits.maxRank),
      s(8, 1),
    ],
  };
  const operator: TableLayout = {
    name: 'Operator',
    fields: [
      s(0, 4),
      vec(1, 4, limits.maxTensors),
      vec(2, 4, limits.maxTensors),
      s(3, 1),
      { id: 4, kind: 'union', typeId: 3, members: optionsMembers(limits.maxRank) },
    ],
  };
  const subgraph: TableLayout = {
    name: 'SubGraph',
    fields: [
      { id: 0, kind: 'tables', table: tensor, maxLength: limits.maxTensors, what: 'tensor' },
      vec(1, 4, limits.maxTensors),
      vec(2, 4, limits.maxTensors),
      { id: 3, kind: 'tables', table: operator, maxLength: limits.maxOperators, what: 'operator' },
      str(4),
    ],
  };
  const operatorCode: TableLayout = { name: 'OperatorCode', fields: [s(0, 1), str(1), s(2, 4), s(3, 4)] };
  const buffer: TableLayout = { name: 'Buffer', fields: [vec(0, 1), s(1, 8), s(2, 8)] };
  const metadata: TableLayout = { name: 'Metadata', fields: [str(0), s(1, 4)] };
  return {
    name: 'Model',
    fields: [
      s(0, 4),
      {
        id: 1,
        kind: 'tables',
        table: operatorCode,
        maxLength: limits.maxOperatorCodes,
        what: 'operator code',
      },
      { id: 2, kind: 'tables', table: subgraph, maxLength: limits.maxSubgraphs, what: 'subgraph' },
      str(3),
      { id: 4, kind: 'tables', table: buffer, maxLength: limits.maxBuffers, what: 'buffer' },
      { id: 6, kind: 'tables', table: metadata, maxLength: limits.maxBuffers, what: 'metadata' },
    ],
  };
}
