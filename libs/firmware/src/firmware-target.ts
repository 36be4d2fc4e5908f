/** The boards fleetprune renders firmware for. */
export const FIRMWARE_TARGETS = ['esp32', 'rpi'] as const;
export type FirmwareTarget = (typeof FIRMWARE_TARGETS)[number];

/** The built-in device profile a target's firmware enforces unless another is named. */
export const DEFAULT_FIRMWARE_PROFILE: Readonly<Record<FirmwareTarget, string>> = Object.freeze({
  esp32: 'esp32',
  rpi: 'rpi-4',
});

/** Narrows user input (a CLI flag, a query parameter) to a target. */
export function isFirmwareTarget(value: unknown): value is FirmwareTarget {
  return typeof value === 'string' && (FIRMWARE_TARGETS as readonly string[]).includes(value);
}

/** The model version firmware reports: the artifact's own, else one derived from its id. */
export function firmwareModelVersion(artifactId: string, metadata: Record<string, unknown>): string {
  return typeof metadata.modelVersion === 'string' ? metadata.modelVersion : `art-${artifactId.slice(0, 8)}`;
}

/** The folder (and, with `.tar.gz`, the archive) name of one artifact's firmware for a target. */
export function firmwareBundleName(artifactId: string, target: FirmwareTarget): string {
  return `${artifactId}-${target}-firmware`;
}
