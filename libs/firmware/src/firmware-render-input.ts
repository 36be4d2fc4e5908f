import type { MicroExportReport } from '@fleetprune/tflite';

/** Everything a firmware renderer needs: one signed TFLite artifact and how to reach the fleet. */
export interface FirmwareRenderInput {
  artifactId: string;
  /** Model version the artifact was exported from (reported in status and telemetry). */
  modelVersion: string;
  /** The `.tflite` flatbuffer the firmware embeds as its factory model. */
  tflite: Uint8Array;
  /** The artifact's report.json (ops, arena sizes, input/output shape and quantization). */
  report: MicroExportReport;
  /** Broker devices connect to, e.g. `mqtt://192.168.1.10:1883`. */
  mqttUrl: string;
  /** SPKI PEM of the server's ECDSA P-256 artifact-signing key. */
  publicKeyPem: string;
  /** Credentials baked in when given; otherwise left for menuconfig / a config file. */
  device?: { id: string; password: string; profile: string };
}
