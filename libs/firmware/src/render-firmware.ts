import { renderEsp32Files } from './esp32/render-esp32-project';
import type { FirmwareFile } from './firmware-file';
import type { FirmwareRenderInput } from './firmware-render-input';
import type { FirmwareTarget } from './firmware-target';
import type { RenderedFile } from './rendered-file';
import { renderRpiFiles } from './rpi/render-rpi-agent';
import type { RpiProfileLimits } from './rpi/rpi-agent-config';
import { writeFirmwareFiles } from './write-firmware-files';

/** Options of `renderFirmwareFiles` / `renderFirmware`, merged over `DEFAULT_FIRMWARE_OPTIONS`. */
export interface FirmwareOptions {
  /** Write into a non-empty outDir, overwriting files of the same name (renderFirmware only). */
  force: boolean;
  /** The device profile's limits; the Pi agent enforces them (the ESP32 build uses its arena). */
  limits?: RpiProfileLimits;
  /** Template folder; default firmware-templates/<target> of this repository. */
  templateDir?: string;
}

export const DEFAULT_FIRMWARE_OPTIONS: Readonly<FirmwareOptions> = Object.freeze({ force: false });

/**
 * Every file of `target`'s firmware for one artifact, in memory: the same files, bytes and
 * permissions that `renderFirmware` writes (and a firmware bundle archives).
 */
export function renderFirmwareFiles(
  target: FirmwareTarget,
  input: FirmwareRenderInput,
  options: Partial<FirmwareOptions> = {},
): Promise<FirmwareFile[]> {
  const o: FirmwareOptions = { ...DEFAULT_FIRMWARE_OPTIONS, ...options };
  if (target === 'esp32') return renderEsp32Files(input, { templateDir: o.templateDir });
  return renderRpiFiles(input, {
    templateDir: o.templateDir,
    ...(o.limits ? { limits: o.limits } : {}),
  });
}

/**
 * Renders `target`'s firmware into `outDir` (an ESP-IDF project or a Pi agent folder).
 * @example await renderFirmware('rpi', input, './fw-pi', { limits });
 */
export async function renderFirmware(
  target: FirmwareTarget,
  input: FirmwareRenderInput,
  outDir: string,
  options: Partial<FirmwareOptions> = {},
): Promise<RenderedFile[]> {
  const o: FirmwareOptions = { ...DEFAULT_FIRMWARE_OPTIONS, ...options };
  return writeFirmwareFiles(outDir, await renderFirmwareFiles(target, input, o), o.force);
}
