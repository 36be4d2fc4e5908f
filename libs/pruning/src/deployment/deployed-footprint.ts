import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  checkModelFitsProfile,
  exportMicroModel,
  type DeviceProfileSpec,
  type FitCheck,
  type MicroExport,
} from '@fleetprune/tflite';
import { costForWidths } from '../cost/model-cost';
import { buildPruningGraph } from '../graph/build-pruning-graph';

/** How to export a model to int8 for measuring it. */
export interface DeploymentOptions {
  /** Calibration inputs (N samples, as the model expects them) for the int8 quantizer. */
  readonly representative: Float32Array | tf.Tensor;
  /** C identifier stem of the exported files. Default 'model'. */
  readonly name?: string;
  /** Per-channel FULLY_CONNECTED weights. Default false (every TFLM build runs per-tensor). */
  readonly perChannelDense?: boolean;
}

/** What the deployed int8 model costs: params and MACs with BatchNorm folded, flash, arena, ops. */
export interface DeployedFootprint {
  readonly params: number;
  readonly macs: number;
  /** `.tflite` bytes. */
  readonly flashBytes: number;
  /** Arena with 64-bit pointers (host, Raspberry Pi). */
  readonly arenaBytes: number;
  /** Arena with 32-bit pointers (ESP32, Cortex-M). */
  readonly arenaBytes32: number;
  readonly ops: readonly string[];
}

/** A profile check of a footprint, with the profile's name. */
export interface ProfileFit extends FitCheck {
  readonly profile: string;
}

/** Exports `model` to int8 TFLite Micro and measures it; `exported` holds the files. */
export function deployedFootprint(
  model: tfl.LayersModel,
  options: DeploymentOptions,
): { footprint: DeployedFootprint; exported: MicroExport } {
  const exported = exportMicroModel(model, options.representative, {
    name: options.name ?? 'model',
    perChannelDense: options.perChannelDense ?? false,
  });
  const cost = costForWidths(buildPruningGraph(model), new Map());
  const footprint: DeployedFootprint = {
    params: cost.params,
    macs: cost.macs,
    flashBytes: exported.report.flashBytes,
    arenaBytes: exported.report.arenaBytes,
    arenaBytes32: exported.report.arenaBytes32,
    ops: exported.report.ops,
  };
  return { footprint, exported };
}

/** Checks a footprint against a profile; microcontroller profiles use the 32-bit arena. */
export function fitProfile(footprint: DeployedFootprint, profile: DeviceProfileSpec): ProfileFit {
  const arenaBytes = profile.runtime === 'tflite-micro' ? footprint.arenaBytes32 : footprint.arenaBytes;
  const check = checkModelFitsProfile({ ...footprint, arenaBytes }, profile);
  return { profile: profile.name, ...check };
}
