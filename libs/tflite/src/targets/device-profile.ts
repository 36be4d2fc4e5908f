/**
 * What a class of device offers a model. Pruning budgets, export checks and deployment
 * checks all read the same figures, so they live beside the TFLite facts they bound.
 */
export interface DeviceProfileSpec {
  name: string;
  description: string;
  /** Flash (or storage) available to one model slot, in bytes: bounds the `.tflite` size. */
  flashBytes: number;
  /** RAM available to the tensor arena, in bytes. */
  ramBytes: number;
  clockMhz: number;
  /** Sustained int8 multiply-accumulates per second, for latency estimates (MACs / this). */
  macsPerSecond: number;
  latencyBudgetMs: number;
  /** TFLite builtin op names the device's runtime registers. */
  supportedOps: string[];
  runtime: 'tflite-micro' | 'tflite';
}

/** Ops our int8 exporter emits plus those the official TFLM examples use. */
export const TFLM_DEFAULT_OPS: readonly string[] = [
  'ADD',
  'AVERAGE_POOL_2D',
  'CONCATENATION',
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'DEQUANTIZE',
  'FULLY_CONNECTED',
  'MAX_POOL_2D',
  'MEAN',
  'MUL',
  'QUANTIZE',
  'RESHAPE',
  'SOFTMAX',
];

const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Built-in profiles. Memory and clock figures are the chips' data-sheet values; the budget
 * given to a model is what is left after the OS, Wi-Fi/MQTT stack and two OTA slots.
 * `macsPerSecond` is a planning estimate for int8 TFLite(-Micro) kernels (ESP-NN optimised
 * kernels on ESP32 parts, XNNPACK on the Pis); device telemetry reports the real latency.
 */
export const BUILTIN_DEVICE_PROFILES: readonly DeviceProfileSpec[] = [
  {
    name: 'esp32',
    description: 'ESP32 (Xtensa LX6 dual-core 240 MHz, 520 KB SRAM, 4 MB flash; one 1 MB model slot of two)',
    flashBytes: 1 * MIB,
    ramBytes: 160 * KIB,
    clockMhz: 240,
    macsPerSecond: 20e6,
    latencyBudgetMs: 1000,
    supportedOps: [...TFLM_DEFAULT_OPS],
    runtime: 'tflite-micro',
  },
  {
    name: 'esp32-s3',
    description:
      'ESP32-S3 (Xtensa LX7 dual-core 240 MHz with vector instructions, 512 KB SRAM, 8 MB PSRAM, 8 MB flash)',
    flashBytes: 3 * MIB,
    ramBytes: 2 * MIB,
    clockMhz: 240,
    macsPerSecond: 150e6,
    latencyBudgetMs: 200,
    supportedOps: [...TFLM_DEFAULT_OPS],
    runtime: 'tflite-micro',
  },
  {
    name: 'rpi-zero-2w',
    description: 'Raspberry Pi Zero 2 W (Cortex-A53 quad-core 1 GHz, 512 MB RAM, microSD)',
    flashBytes: 64 * MIB,
    ramBytes: 64 * MIB,
    clockMhz: 1000,
    macsPerSecond: 2e9,
    latencyBudgetMs: 50,
    supportedOps: [...TFLM_DEFAULT_OPS],
    runtime: 'tflite',
  },
  {
    name: 'rpi-4',
    description: 'Raspberry Pi 4 Model B (Cortex-A72 quad-core 1.5 GHz, 2-8 GB RAM, microSD)',
    flashBytes: 256 * MIB,
    ramBytes: 512 * MIB,
    clockMhz: 1500,
    macsPerSecond: 8e9,
    latencyBudgetMs: 20,
    supportedOps: [...TFLM_DEFAULT_OPS],
    runtime: 'tflite',
  },
];

/** The built-in profile of that name, or undefined. */
export function builtinDeviceProfile(name: string): DeviceProfileSpec | undefined {
  return BUILTIN_DEVICE_PROFILES.find((p) => p.name === name);
}

/** The facts about a model that decide whether it fits a device. */
export interface ModelFootprint {
  flashBytes: number;
  arenaBytes: number;
  ops: readonly string[];
  /** Multiply-accumulates per inference; latency is estimated from it when given. */
  macs?: number;
}

export interface FitCheck {
  fits: boolean;
  /** One sentence per violated budget, e.g. "flash: model needs 1.2 MiB, esp32 offers 1 MiB". */
  reasons: string[];
  estimatedLatencyMs?: number;
}

/** Checks a model's flash, arena, ops and (when MACs are known) latency against a profile. */
export function checkModelFitsProfile(model: ModelFootprint, profile: DeviceProfileSpec): FitCheck {
  const reasons: string[] = [];
  if (model.flashBytes > profile.flashBytes) {
    reasons.push(
      `flash: model needs ${model.flashBytes} bytes, ${profile.name} offers ${profile.flashBytes}`,
    );
  }
  if (model.arenaBytes > profile.ramBytes) {
    reasons.push(
      `RAM: tensor arena needs ${model.arenaBytes} bytes, ${profile.name} offers ${profile.ramBytes}`,
    );
  }
  const missing = model.ops.filter((op) => !profile.supportedOps.includes(op));
  if (missing.length > 0) reasons.push(`ops: ${profile.name} lacks ${missing.join(', ')}`);
  let estimatedLatencyMs: number | undefined;
  if (model.macs !== undefined) {
    estimatedLatencyMs = (model.macs / profile.macsPerSecond) * 1000;
    if (estimatedLatencyMs > profile.latencyBudgetMs) {
      reasons.push(
        `latency: about ${estimatedLatencyMs.toFixed(1)} ms estimated, budget ${profile.latencyBudgetMs} ms`,
      );
    }
  }
  return { fits: reasons.length === 0, reasons, estimatedLatencyMs };
}
