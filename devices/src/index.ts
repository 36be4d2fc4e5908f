// Public API of devices/: simulated device agents and a fleet simulator (docs/protocol.md).
export * from './device-error';
export * from './personality';
export * from './agent-types';
export * from './device-agent';
export * from './sample-source';
export * from './shift-spec';
export * from './model-cache';
export * from './classifier';
export * from './fleet-simulator';
export * from './device-state-store';
export * from './offer-check';
export * from './telemetry-accumulator';
export type { InferenceRecord } from './field-monitor';
export type { RunningModel } from './slot-loader';
export { TypedEvents } from './typed-events';
