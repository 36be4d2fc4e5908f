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
