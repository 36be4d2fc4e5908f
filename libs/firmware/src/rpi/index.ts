export { renderRpiAgent, renderRpiFiles, DEFAULT_RPI_RENDER_OPTIONS } from './render-rpi-agent';
export type { RpiRenderOptions, RpiRenderedFile } from './render-rpi-agent';
export { DEFAULT_RPI_PROFILE_LIMITS, RPI_PLACEHOLDER } from './rpi-agent-config';
export type { RpiProfileLimits } from './rpi-agent-config';
export { RpiAgentProcess, DEFAULT_RPI_AGENT_START } from './rpi-agent-process';
export type { RpiAgentStartOptions } from './rpi-agent-process';
