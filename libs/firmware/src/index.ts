// Public API of @fleetprune/firmware: device firmware rendered from a TFLite artifact.
export { FirmwareRenderError } from './firmware-render-error';
export type { FirmwareRenderErrorCode } from './firmware-render-error';
export type { FirmwareRenderInput } from './firmware-render-input';
export type { FirmwareFile } from './firmware-file';
export type { RenderedFile } from './rendered-file';
export {
  FIRMWARE_TARGETS,
  DEFAULT_FIRMWARE_PROFILE,
  isFirmwareTarget,
  firmwareModelVersion,
  firmwareBundleName,
} from './firmware-target';
export type { FirmwareTarget } from './firmware-target';
export { renderFirmware, renderFirmwareFiles, DEFAULT_FIRMWARE_OPTIONS } from './render-firmware';
export type { FirmwareOptions } from './render-firmware';
export { findTemplateDir } from './find-template-dir';
export { writeFirmwareFiles } from './write-firmware-files';
export { tarGz, tarGzAsync, tar, DEFAULT_TAR_GZ_OPTIONS } from './tar-gz';
export type { TarEntry, TarGzOptions } from './tar-gz';
export * from './esp32';
export * from './rpi';
