import type * as tfl from '@tensorflow/tfjs-layers';
import { PruningError } from '../pruning-error';
import { BoundAxis, ChannelLayout, NodeKind } from './pruning-graph';

/** Layer classes the dependency graph understands, by how they treat channels. */
export const LAYER_KINDS: Readonly<Record<string, NodeKind>> = {
  InputLayer: 'input',
  Conv2D: 'producer',
  Dense: 'producer',
  DepthwiseConv2D: 'depthwise',
  BatchNormalization: 'batchnorm',
  MaxPooling2D: 'passthrough',
  AveragePooling2D: 'passthrough',
  GlobalAveragePooling2D: 'passthrough',
  GlobalMaxPooling2D: 'passthrough',
  ZeroPadding2D: 'passthrough',
  Dropout: 'passthrough',
  Activation: 'passthrough',
  ReLU: 'passthrough',
  Flatten: 'flatten',
  Add: 'add',
  Concatenate: 'concat',
};

/** The kind of `layer`, or a PruningError naming it and listing what is supported. */
export function layerKind(layer: tfl.layers.Layer): NodeKind {
  const kind = LAYER_KINDS[layer.getClassName()];
  if (!kind) {
    throw new PruningError(
      'UNSUPPORTED_LAYER',
      `layer "${layer.name}" (${layer.getClassName()}) is not supported; ` +
        `use only ${Object.keys(LAYER_KINDS).join(', ')}`,
    );
  }
  return kind;
}

/** Weight name without layer prefix or uniquifying suffix: `conv/kernel_3` -> `kernel`. */
export function weightRole(originalName: string): string {
  const last = originalName.split('/').pop() ?? originalName;
  return last.replace(/_\d+$/, '');
}

/** Which axes of a layer's weight follow the input or output channel layout. */
export function boundAxes(
  kind: NodeKind,
  className: string,
  role: string,
  inLayout: ChannelLayout,
  outLayout: ChannelLayout,
  layerName: string,
): BoundAxis[] {
  const inAxis = (axis: number): BoundAxis => ({ axis, side: 'in', layout: inLayout });
  const outAxis = (axis: number): BoundAxis => ({ axis, side: 'out', layout: outLayout });
  if (kind === 'batchnorm') return [inAxis(0)];
  if (role === 'bias') return [outAxis(0)];
  if (kind === 'depthwise' && role === 'depthwise_kernel') return [inAxis(2)];
  if (className === 'Conv2D' && role === 'kernel') return [inAxis(2), outAxis(3)];
  if (className === 'Dense' && role === 'kernel') return [inAxis(0), outAxis(1)];
  throw new PruningError(
    'UNSUPPORTED_LAYER',
    `layer "${layerName}" has an unexpected weight "${role}"; rebuild it without custom weights`,
  );
}

/** True if a config `axis` value addresses the last axis of a tensor of `rank`. */
export function isLastAxis(axis: unknown, rank: number): boolean {
  const value = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : NaN) : axis;
  return value === -1 || value === rank - 1;
}
