import type { DeviceProfileSpec } from '@fleetprune/tflite';
import type { FieldImageSet } from '../field-samples/field-image-set';
import type { PruningJobOptions, PruningJobProgress } from './pruning-job.entity';

/** What the job runner hands a worker thread. */
export interface PruningWorkerInput {
  jobId: string;
  modelJsonPath: string;
  profiles: DeviceProfileSpec[];
  options: PruningJobOptions;
  /** Labelled field samples per profile, mixed into that profile's fine-tuning data. */
  fieldSets: Record<string, FieldImageSet>;
  /** The worker writes `<outDir>/<profile>/{model.json, weights.bin, model.tflite, ...}`. */
  outDir: string;
}

export type { FieldImageSet };

/** Where the runner finds a profile's field samples (the field-samples module provides it). */
export interface FieldSampleSource {
  labelledImageSet(
    profile: string,
    options?: { max?: number; since?: number },
  ): Promise<FieldImageSet | undefined>;
}

/** Injection token of the FieldSampleSource. */
export const FIELD_SAMPLE_SOURCE = Symbol('FIELD_SAMPLE_SOURCE');

export interface PruningWorkerOutput {
  profile: string;
  dir: string;
  fits: boolean;
  reasons: string[];
  report: Record<string, unknown>;
}

/** Messages from the worker to the runner. */
export type WorkerMessage =
  | { type: 'log'; line: string }
  | { type: 'progress'; progress: PruningJobProgress }
  | { type: 'done'; outputs: PruningWorkerOutput[] }
  | { type: 'failed'; message: string };

/** Messages from the runner to the worker. */
export type RunnerMessage = { type: 'cancel' };
