import * as tfl from '@tensorflow/tfjs-layers';
import { PruningError } from '../pruning-error';

/** Architectures `buildArchitecture` knows. */
export type ArchitectureName = 'fmnist-cnn';

/** Names accepted by `buildArchitecture`, for help texts and error messages. */
export const ARCHITECTURE_NAMES: readonly ArchitectureName[] = Object.freeze(['fmnist-cnn']);

/** Options of `buildArchitecture`. */
export interface ArchitectureOptions {
  /** Seed of every kernel initialiser; the same seed gives the same initial weights. Default 0. */
  readonly seed?: number;
}

/**
 * A fresh, untrained model of a named architecture with seeded initialisers.
 * `fmnist-cnn` is the reference model of DESIGN.md: three Conv 3x3 (32, 64, 128, same) - BN -
 * ReLU - MaxPool 2 blocks, Flatten 1152, Dense 128 ReLU, Dropout 0.25, Dense 10 softmax.
 * @example const model = buildArchitecture('fmnist-cnn', { seed: 1 });
 */
export function buildArchitecture(name: string, options: ArchitectureOptions = {}): tfl.LayersModel {
  if (name !== 'fmnist-cnn') {
    throw new PruningError(
      'INVALID_OPTIONS',
      `unknown architecture '${name}'; use one of: ${ARCHITECTURE_NAMES.join(', ')}`,
    );
  }
  return fmnistCnn(options.seed ?? 0);
}

function fmnistCnn(seed: number): tfl.LayersModel {
  const init = (layer: number) => tfl.initializers.glorotUniform({ seed: seed * 100 + layer });
  const layers: tfl.layers.Layer[] = [];
  for (const [i, filters] of [32, 64, 128].entries()) {
    layers.push(
      tfl.layers.conv2d({
        name: `conv${i + 1}`,
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(i),
      }),
      tfl.layers.batchNormalization({ name: `bn${i + 1}` }),
      tfl.layers.reLU({ name: `relu${i + 1}` }),
      tfl.layers.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }),
    );
  }
  layers.push(
    tfl.layers.flatten({ name: 'flatten' }),
    tfl.layers.dense({ name: 'dense1', units: 128, activation: 'relu', kernelInitializer: init(3) }),
    tfl.layers.dropout({ name: 'dropout', rate: 0.25, seed }),
    tfl.layers.dense({ name: 'logits', units: 10, activation: 'softmax', kernelInitializer: init(4) }),
  );
  return tfl.sequential({ name: 'fmnist_cnn', layers });
}
