import type * as tfl from '@tensorflow/tfjs-layers';
import type { DeviceProfileSpec } from '@fleetprune/tflite';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { pruneChannels } from '../surgery/prune-channels';
import {
  DeployedFootprint,
  deployedFootprint,
  DeploymentOptions,
  fitProfile,
  ProfileFit,
} from './deployed-footprint';

/**
 * Footprint of the smallest model pruning can reach: every prunable group cut down to
 * `minChannels` channels (the first ones; which channels survive does not change the size).
 */
export function smallestReachable(
  model: tfl.LayersModel,
  deployment: DeploymentOptions,
  minChannels = 1,
): DeployedFootprint {
  const graph = buildPruningGraph(model);
  const keep = new Map<string, number[]>();
  for (const group of graph.groups.values()) {
    if (!group.prunable || group.size <= minChannels) continue;
    keep.set(
      group.id,
      Array.from({ length: minChannels }, (_, i) => i),
    );
  }
  const tiny = pruneChannels(model, keep, graph);
  try {
    return deployedFootprint(tiny, deployment).footprint;
  } finally {
    tiny.dispose();
  }
}

/**
 * Throws `BUDGET_UNREACHABLE` when even the smallest reachable model misses the profile,
 * naming what that model needs, so the caller knows which budget to relax.
 */
export function assertProfileReachable(
  model: tfl.LayersModel,
  profile: DeviceProfileSpec,
  deployment: DeploymentOptions,
  minChannels = 1,
): ProfileFit {
  const smallest = smallestReachable(model, deployment, minChannels);
  const fit = fitProfile(smallest, profile);
  if (!fit.fits) {
    throw new PruningError(
      'BUDGET_UNREACHABLE',
      `profile '${profile.name}' cannot be met by pruning: the smallest reachable model ` +
        `(${minChannels} channel(s) per layer: ${smallest.params} params, ${smallest.macs} MACs) needs ` +
        `${smallest.flashBytes} bytes of flash, a ${profile.runtime === 'tflite-micro' ? smallest.arenaBytes32 : smallest.arenaBytes}-byte arena` +
        `${fit.estimatedLatencyMs !== undefined ? ` and about ${fit.estimatedLatencyMs.toFixed(1)} ms` : ''}; ` +
        `${fit.reasons.join('; ')}. Choose a larger profile or a smaller architecture.`,
    );
  }
  return fit;
}
