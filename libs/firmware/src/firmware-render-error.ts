/** Why a firmware project could not be rendered or packed. */
export type FirmwareRenderErrorCode =
  'OUT_DIR_NOT_EMPTY' | 'TEMPLATE_NOT_FOUND' | 'INVALID_INPUT' | 'INVALID_ARCHIVE_ENTRY';

/** The one error class of the firmware renderers; messages start with `Firmware:`. */
export class FirmwareRenderError extends Error {
  constructor(
    readonly code: FirmwareRenderErrorCode,
    message: string,
  ) {
    super(`Firmware: ${message}`);
    this.name = 'FirmwareRenderError';
  }
}
