import type { DeviceProfile } from './device-profile.entity';

export type ProfileSpec = Omit<DeviceProfile, 'createdAt' | 'builtin'>;

/** Ops our int8 exporter emits plus those the official TFLM examples use. */
const TFLM_OPS = [
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
export const BUILTIN_PROFILES: readonly ProfileSpec[] = [
  {
    name: 'esp32',
    description: 'ESP32 (Xtensa LX6 dual-core 240 MHz, 520 KB SRAM, 4 MB flash; one 1 MB model slot of two)',
    flashBytes: 1 * MIB,
    ramBytes: 160 * KIB,
    clockMhz: 240,
    macsPerSecond: 20e6,
    latencyBudgetMs: 1000,
    supportedOps: TFLM_OPS,
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
    supportedOps: TFLM_OPS,
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
    supportedOps: TFLM_OPS,
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
    supportedOps: TFLM_OPS,
    runtime: 'tflite',
  },
];
