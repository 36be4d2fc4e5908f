import { TfliteError } from '../tflite-error';

/** Options of `quantizeLayersModel`, merged over `DEFAULT_QUANTIZE_OPTIONS`. */
export interface QuantizeOptions {
  /** Per-output-channel weights for FULLY_CONNECTED too (the converter's default is per-tensor). */
  perChannelDense: boolean;
  /** Samples run through the float model at a time during calibration. */
  calibrationBatchSize: number;
  /** Written to the `min_runtime_version` metadata, as the converter does. */
  minRuntimeVersion: string;
  /** The model's description string. */
  description: string;
  /** Name of the subgraph. */
  subgraphName: string;
}

/** Defaults: per-tensor dense weights, batches of 50, runtime 1.14.0, description "fleetprune". */
export const DEFAULT_QUANTIZE_OPTIONS: Readonly<QuantizeOptions> = Object.freeze({
  perChannelDense: false,
  calibrationBatchSize: 50,
  minRuntimeVersion: '1.14.0',
  description: 'fleetprune',
  subgraphName: 'main',
});

/** Merges `opts` over the defaults (undefined fields keep the default) and checks them. */
export function resolveQuantizeOptions(opts: Partial<QuantizeOptions> = {}): QuantizeOptions {
  const defined = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const o: QuantizeOptions = { ...DEFAULT_QUANTIZE_OPTIONS, ...defined };
  if (!Number.isSafeInteger(o.calibrationBatchSize) || o.calibrationBatchSize < 1) {
    throw new TfliteError(
      'INVALID_INPUT',
      `calibrationBatchSize must be a positive integer, got ${o.calibrationBatchSize}.`,
    );
  }
  return o;
}
