import { DeviceError } from './device-error';

/** The names of the built-in personalities. */
export type PersonalityName = 'esp32' | 'rpi';

/**
 * What distinguishes one kind of device on the wire: how many chunk requests it keeps in
 * flight, the largest chunk its receive buffer takes, the firmware it reports, and the pointer
 * width its tensor arena is planned for.
 */
export interface DevicePersonality {
  name: PersonalityName;
  /** Chunk requests kept outstanding at once (protocol default 4). */
  window: number;
  /** Largest `chunkSize` the device accepts; bigger offers are refused TOO_LARGE. */
  maxChunkSize: number;
  /** Reported on `status` as `firmware`. */
  firmware: string;
  /** 4 on 32-bit microcontrollers, 8 on a 64-bit Pi OS; feeds the arena estimate. */
  pointerBytes: 4 | 8;
}

/**
 * An ESP32 has a few KB of MQTT buffer (esp-mqtt's default 1 KB, raised to 16 KB for OTA), so
 * it keeps 2 requests in flight; a Pi has memory to spare and keeps 8.
 */
export const PERSONALITIES: Readonly<Record<PersonalityName, DevicePersonality>> = {
  esp32: {
    name: 'esp32',
    window: 2,
    maxChunkSize: 16384,
    firmware: 'fleetprune-sim-esp32/1.0',
    pointerBytes: 4,
  },
  rpi: { name: 'rpi', window: 8, maxChunkSize: 65536, firmware: 'fleetprune-sim-rpi/1.0', pointerBytes: 8 },
};

/** The personality named, or the given one after checking its fields. */
export function resolvePersonality(p: PersonalityName | DevicePersonality): DevicePersonality {
  if (typeof p === 'string') {
    const found = PERSONALITIES[p];
    if (!found) throw new DeviceError('BAD_OPTION', `unknown personality "${p}"; use esp32 or rpi`);
    return found;
  }
  if (!Number.isInteger(p.window) || p.window < 1)
    throw new DeviceError('BAD_OPTION', `personality window must be an integer >= 1, got ${p.window}`);
  if (!Number.isInteger(p.maxChunkSize) || p.maxChunkSize < 1)
    throw new DeviceError('BAD_OPTION', `personality maxChunkSize must be >= 1, got ${p.maxChunkSize}`);
  return p;
}
