export {
  renderEsp32Project,
  renderEsp32Files,
  renderEsp32GeneratedFiles,
  DEFAULT_ESP32_RENDER_OPTIONS,
  ESP32_GENERATED_DIR,
  ESP32_MODEL_NAME,
} from './render-esp32-project';
export type { Esp32RenderOptions } from './render-esp32-project';
export { renderEsp32ConfigHeader } from './esp32-config-header';
export { cByteInitializer, cString } from './c-literals';
