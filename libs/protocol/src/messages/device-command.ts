import { MAX_JSON_PAYLOAD, MAX_SAMPLE_ITEMS, U32_MAX } from '../limits';
import { FieldReader } from '../field-reader';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';
import { ID_RULE } from './field-rules';

/** Command kinds on the `cmd` channel. */
export const COMMAND_TYPES = [
  'report-status', // publish a fresh status now
  'cancel-ota', // abandon session `session`, keep the active model, answer ota/result CANCELLED
  'rollback', // switch back to the previous slot if it holds a verified model
  'set-telemetry', // publish a telemetry window every `intervalS` seconds
  'upload-samples', // publish up to `max` field samples (misclassified ones only if asked)
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

interface CommandBase {
  v: typeof PROTOCOL_VERSION;
  /** Server-chosen id, echoed in logs; lets a device ignore a QoS 1 duplicate. */
  id: string;
}

/** `cmd` (server -> device, QoS 1): one instruction. */
export type DeviceCommand = CommandBase &
  (
    | { type: 'report-status' }
    | { type: 'cancel-ota'; session: number }
    | { type: 'rollback' }
    | { type: 'set-telemetry'; intervalS: number }
    | { type: 'upload-samples'; max: number; misclassifiedOnly: boolean }
  );

function readCommand(f: FieldReader): DeviceCommand {
  const base: CommandBase = { v: PROTOCOL_VERSION, id: f.string('id', ID_RULE) };
  const type = f.oneOf('type', COMMAND_TYPES);
  switch (type) {
    case 'cancel-ota':
      return { ...base, type, session: f.integer('session', 1, U32_MAX) };
    case 'set-telemetry':
      return { ...base, type, intervalS: f.integer('intervalS', 1, 86_400) };
    case 'upload-samples':
      return {
        ...base,
        type,
        max: f.integer('max', 1, MAX_SAMPLE_ITEMS),
        misclassifiedOnly: f.boolean('misclassifiedOnly'),
      };
    case 'report-status':
      return { ...base, type };
    case 'rollback':
      return { ...base, type };
  }
}

/** Codec of the `cmd` channel. */
export const deviceCommandCodec = jsonCodec<DeviceCommand>('cmd', MAX_JSON_PAYLOAD, readCommand);

/** Parses a `cmd` payload; throws ProtocolError naming the bad field. */
export function parseDeviceCommand(payload: Uint8Array): DeviceCommand {
  return deviceCommandCodec.parse(payload);
}

/** Encodes a `cmd` message after validating it. */
export function encodeDeviceCommand(message: DeviceCommand): Buffer {
  return deviceCommandCodec.encode(message);
}
