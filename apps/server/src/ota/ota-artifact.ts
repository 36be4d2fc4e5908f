import {
  checkModelFitsProfile,
  DeviceProfileSpec,
  FitCheck,
  microFootprint,
  readModel,
} from '@fleetprune/tflite';
import { sha256Hex, SignatureAlgorithm } from '@fleetprune/protocol';

/** A tflite artifact as the OTA engine serves it: bytes in memory plus what offers state. */
export interface OtaArtifact {
  id: string;
  bytes: Buffer;
  modelVersion: string;
  sha256: string;
  signature: string;
  signatureAlg: SignatureAlgorithm;
  ops: string[];
  /** Tensor arena with 32-bit pointers (microcontrollers) and 64-bit (Raspberry Pi OS). */
  arenaBytes32: number;
  arenaBytes64: number;
}

/** Facts read from the flatbuffer itself (validated), so artifacts from any source are checked alike. */
export function describeOtaModel(
  bytes: Uint8Array,
): Pick<OtaArtifact, 'sha256' | 'ops' | 'arenaBytes32' | 'arenaBytes64'> {
  const { ops, arenaBytes, arenaBytes32 } = microFootprint(readModel(bytes));
  return { sha256: sha256Hex(bytes), ops, arenaBytes32, arenaBytes64: arenaBytes };
}

/** The arena a device of this runtime needs for the artifact. */
export function arenaFor(artifact: OtaArtifact, runtime: DeviceProfileSpec['runtime']): number {
  return runtime === 'tflite-micro' ? artifact.arenaBytes32 : artifact.arenaBytes64;
}

/** Whether the artifact fits a device profile (flash, arena RAM, ops), with reasons if not. */
export function checkArtifactFits(artifact: OtaArtifact, profile: DeviceProfileSpec): FitCheck {
  return checkModelFitsProfile(
    { flashBytes: artifact.bytes.length, arenaBytes: arenaFor(artifact, profile.runtime), ops: artifact.ops },
    profile,
  );
}
