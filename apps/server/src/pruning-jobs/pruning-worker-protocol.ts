import type { DeviceProfileSpec } from '@fleetprune/tflite';
import type { PruningJobOptions, PruningJobProgress } from './pruning-job.entity';

/** What the job runner hands a worker thread. */
export interface PruningWorkerInput {
  jobId: string;
  modelJsonPath: string;
  profiles: DeviceProfileSpec[];
  options: PruningJobOptions;
  /** The worker writes `<outDir>/<profile>/{model.json, weights.bin, model.tflite, ...}`. */
  outDir: string;
}

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
