import type * as tfl from '@tensorflow/tfjs-layers';
import type { DeviceProfileSpec } from '@fleetprune/tflite';
import { buildPruningGraph } from '../graph/build-pruning-graph';
import { PruningError } from '../pruning-error';
import { channelFloors, DEFAULT_MIN_KEEP_FRACTION } from '../schedule/cut-plan';
import { pruneChannels } from '../surgery/prune-channels';
import {
  DeployedFootprint,
  deployedFootprint,
  DeploymentOptions,
  fitProfile,
  ProfileFit,
} from './deployed-footprint';

/** How far pruning may thin each layer (PrecisionPruneOptions' minChannels and minKeepFraction). */
export interface ChannelLimits {
  readonly minChannels?: number;
  readonly minKeepFraction?: number;
}

/**
 * Footprint of the smallest model pruning can reach: every prunable group cut down to its
 * floor (the first channels; which channels survive does not change the size).
 */
export function smallestReachable(
  model: tfl.LayersModel,
  deployment: DeploymentOptions,
  limits: ChannelLimits = {},
): DeployedFootprint {
  const graph = buildPruningGraph(model);
  const keep = new Map<string, number[]>();
  for (const [groupId, floor] of channelFloors(graph, limits.minChannels, limits.minKeepFraction)) {
    if (floor < (graph.groups.get(groupId)?.size ?? 0)) {
      keep.set(
        groupId,
        Array.from({ length: floor }, (_, i) => i),
      );
    }
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
  limits: ChannelLimits = {},
): ProfileFit {
  const smallest = smallestReachable(model, deployment, limits);
  const share = limits.minKeepFraction ?? DEFAULT_MIN_KEEP_FRACTION;
  const fit = fitProfile(smallest, profile);
  if (!fit.fits) {
    throw new PruningError(
      'BUDGET_UNREACHABLE',
      `profile '${profile.name}' cannot be met by pruning: the smallest reachable model ` +
        `(every layer at ${limits.minChannels ?? 1} channel(s) or ${share} of its width, whichever is more: ` +
        `${smallest.params} params, ${smallest.macs} MACs) needs ` +
        `${smallest.flashBytes} bytes of flash, a ${profile.runtime === 'tflite-micro' ? smallest.arenaBytes32 : smallest.arenaBytes}-byte arena` +
        `${fit.estimatedLatencyMs !== undefined ? ` and about ${fit.estimatedLatencyMs.toFixed(1)} ms` : ''}; ` +
        `${fit.reasons.join('; ')}. Choose a larger profile or a smaller architecture` +
        `${share > 0 ? ', or lower minKeepFraction (0 lets a layer go down to minChannels)' : ''}.`,
    );
  }
  return fit;
}
