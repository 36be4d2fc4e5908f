export {
  renderEsp32Project,
  renderEsp32GeneratedFiles,
  DEFAULT_ESP32_RENDER_OPTIONS,
} from './render-esp32-project';
export type { RenderedFile, Esp32RenderOptions } from './render-esp32-project';
export { ESP32_GENERATED_DIR, ESP32_MODEL_NAME } from './render-esp32-project';
export { FirmwareRenderError } from '../firmware-render-error';
export type { FirmwareRenderErrorCode } from '../firmware-render-error';
