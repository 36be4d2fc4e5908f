import * as tf from '@tensorflow/tfjs-core';
import type { ImageSet } from '@fleetprune/datasets';
import { BUILTIN_DEVICE_PROFILES, type DeviceProfileSpec, type MicroExport } from '@fleetprune/tflite';
import { PruningError } from '../pruning-error';
import { precisionPrune } from '../schedule/precision-prune';
import { PrecisionPruneOptions, PruneResult } from '../schedule/prune-options';
import { deployedAccuracy } from './deployed-accuracy';
import { deployedFootprint, DeploymentOptions, fitProfile } from './deployed-footprint';
import { PruneReport } from './prune-report';
import { assertProfileReachable } from './smallest-reachable';

/**
 * `most-accurate`: prune only until the profile's flash, RAM and latency budgets hold (and
 * `targetParams`, if given). `smallest`: prune as far as `maxDrop` allows, then check the profile.
 */
export type BudgetMode = 'most-accurate' | 'smallest';

/** Options of `pruneForProfile`: precisionPrune's, plus the device profile and test data. */
export interface ProfilePruneOptions extends Omit<PrecisionPruneOptions, 'fits'> {
  readonly profile: DeviceProfileSpec;
  /** Default: 'smallest' when maxDrop is given without targetParams, else 'most-accurate'. */
  readonly mode?: BudgetMode;
  readonly deployment: DeploymentOptions;
  /** Test split (uint8 pixels); float and int8 accuracy before and after go into the report. */
  readonly test: ImageSet;
  /** Test images evaluated (int8 interpretation is slow). Default all. */
  readonly testCount?: number;
  /** Profiles whose fit and latency the report lists after the target. Default the built-ins. */
  readonly reportProfiles?: readonly DeviceProfileSpec[];
}

/** What `pruneForProfile` returns: the pruned model, its int8 export and the report. */
export interface ProfilePruneResult {
  readonly result: PruneResult;
  readonly exported: MicroExport;
  readonly report: PruneReport;
}

/**
 * PrecisionPrune against a device profile: checks first that the profile is reachable at all
 * (`BUDGET_UNREACHABLE` otherwise), prunes in the chosen mode with the int8 export as the
 * budget check, exports the result and measures float and int8 test accuracy before and after.
 * @example await pruneForProfile({ model, train, validation, test, profile, deployment, maxDrop: 0.5, epochs: 5 })
 */
export async function pruneForProfile(options: ProfilePruneOptions): Promise<ProfilePruneResult> {
  const started = Date.now();
  const mode =
    options.mode ??
    (options.maxDrop !== undefined && options.targetParams === undefined ? 'smallest' : 'most-accurate');
  if (mode === 'smallest' && options.maxDrop === undefined) {
    throw new PruningError(
      'INVALID_OPTIONS',
      "mode 'smallest' needs maxDrop (the accuracy tolerance in points)",
    );
  }
  const { profile, deployment } = options;
  assertProfileReachable(options.model, profile, deployment, options);
  const before = deployedFootprint(options.model, deployment);
  const beforeAccuracy = deployedAccuracy(
    options.model,
    before.exported.model,
    options.test,
    options.testCount,
  );
  const fits = (model: Parameters<NonNullable<PrecisionPruneOptions['fits']>>[0]) => {
    const fit = fitProfile(deployedFootprint(model, deployment).footprint, profile);
    return { fits: fit.fits, reason: fit.reasons.join('; ') };
  };
  const result = await precisionPrune({ ...options, fits: mode === 'most-accurate' ? fits : undefined });
  const after = deployedFootprint(result.model, deployment);
  const afterAccuracy = deployedAccuracy(result.model, after.exported.model, options.test, options.testCount);
  const others = (options.reportProfiles ?? BUILTIN_DEVICE_PROFILES).filter((p) => p.name !== profile.name);
  const profiles = [profile, ...others].map((p) => fitProfile(after.footprint, p));
  const report: PruneReport = {
    profile: profile.name,
    mode,
    scorer: options.scorer ?? 'taylor',
    distill: Boolean(options.distill),
    epochs: options.epochs,
    seed: result.seed,
    backend: tf.getBackend(),
    wallTimeS: (Date.now() - started) / 1000,
    budgetMet: result.budgetMet && profiles[0].fits,
    widths: result.widths,
    params: result.params,
    macs: result.macs,
    validation: { before: result.baselineAccuracy, after: result.finalAccuracy },
    test: {
      count: afterAccuracy.count,
      before: { float: beforeAccuracy.floatAccuracy, int8: beforeAccuracy.int8Accuracy },
      after: { float: afterAccuracy.floatAccuracy, int8: afterAccuracy.int8Accuracy },
    },
    tflite: {
      bytesBefore: before.footprint.flashBytes,
      bytes: after.footprint.flashBytes,
      arenaBytes: after.footprint.arenaBytes,
      arenaBytes32: after.footprint.arenaBytes32,
      ops: after.footprint.ops,
    },
    profiles,
    history: result.history,
  };
  return { result, exported: after.exported, report };
}
