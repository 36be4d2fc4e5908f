/** A run of channels that all belong to one group, as they sit on a tensor's last axis. */
export interface ChannelSegment {
  readonly groupId: string;
  /** Channels of the group covered by this segment (the group's full width). */
  readonly size: number;
  /** Depthwise multipliers expand each group channel into `repeat` adjacent tensor channels. */
  readonly repeat: number;
}

/**
 * How a tensor's last axis maps onto channel groups: `spatial` copies of the segment list, so
 * after Flatten row `s * C + c` (s = h * W + w) belongs to segment channel `c`.
 */
export interface ChannelLayout {
  readonly spatial: number;
  readonly segments: readonly ChannelSegment[];
}

/** A weight axis whose entries follow a channel layout (input or output side of a layer). */
export interface BoundAxis {
  readonly axis: number;
  readonly side: 'in' | 'out';
  readonly layout: ChannelLayout;
}

/** One weight of one layer and the axes that shrink when channels are removed. */
export interface WeightBinding {
  readonly layer: string;
  /** Position in `layer.weights`, the order `setWeights` expects. */
  readonly index: number;
  /** Weight name without the layer prefix: kernel, bias, gamma, beta, moving_mean, ... */
  readonly role: string;
  readonly shape: readonly number[];
  readonly axes: readonly BoundAxis[];
}

/** How a layer treats channels; decides surgery, gating and cost. */
export type NodeKind =
  'input' | 'producer' | 'depthwise' | 'batchnorm' | 'passthrough' | 'flatten' | 'add' | 'concat';

/** One layer of the model in topological order. */
export interface GraphNode {
  readonly name: string;
  readonly className: string;
  readonly kind: NodeKind;
  readonly inbound: readonly string[];
  readonly inLayouts: readonly ChannelLayout[];
  readonly outLayout: ChannelLayout;
  /** Output shape without the batch axis. */
  readonly outputShape: readonly number[];
  /** True for Conv2D/Dense: they mix channels, so a removed input channel only matters here. */
  readonly consumer: boolean;
  readonly useBias: boolean;
}

/** A set of channels that must be removed together (one producer plus everything coupled). */
export interface ChannelGroup {
  readonly id: string;
  readonly size: number;
  /** False for model inputs, model outputs and channels a softmax mixes. */
  readonly prunable: boolean;
  /** Conv2D/Dense layers whose output channels define the group (several when tied by Add). */
  readonly producers: readonly string[];
  /** Every layer that holds weights indexed by this group's channels. */
  readonly members: readonly string[];
}

/** Channel dependency graph of a TF.js Layers model; see `buildPruningGraph`. */
export interface PruningGraph {
  readonly nodes: readonly GraphNode[];
  readonly groups: ReadonlyMap<string, ChannelGroup>;
  readonly bindings: readonly WeightBinding[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** Group id -> sorted channel indices to keep; a missing group keeps every channel. */
export type KeepMap = ReadonlyMap<string, readonly number[]>;
