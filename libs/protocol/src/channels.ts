import { CHUNK_HEADER_SIZE, MAX_CHUNK_SIZE, MAX_JSON_PAYLOAD, MAX_SAMPLES_PAYLOAD } from './limits';
import { DEVICES_ROOT, deviceIdOfTopic, deviceTopic } from './topics';

/** The channels under a device's subtree `fleetprune/v1/devices/<id>/`. */
export type Channel =
  | 'status'
  | 'ota/offer'
  | 'ota/request'
  | 'ota/chunk'
  | 'ota/progress'
  | 'ota/result'
  | 'telemetry'
  | 'samples'
  | 'cmd';

/** Who publishes on a channel (the other side subscribes). */
export type Direction = 'device-to-server' | 'server-to-device';

/** How a channel is used: the contract every publisher and subscriber follows. */
export interface ChannelSpec {
  readonly channel: Channel;
  readonly direction: Direction;
  /** QoS to publish and subscribe with. */
  readonly qos: 0 | 1;
  /** Whether the publisher sets the RETAIN flag. */
  readonly retained: boolean;
  readonly encoding: 'json' | 'binary';
  /** Largest payload; receivers drop bigger ones before parsing. */
  readonly maxBytes: number;
}

function spec(
  channel: Channel,
  direction: Direction,
  qos: 0 | 1,
  retained: boolean,
  encoding: 'json' | 'binary' = 'json',
  maxBytes = MAX_JSON_PAYLOAD,
): ChannelSpec {
  return { channel, direction, qos, retained, encoding, maxBytes };
}

/**
 * The channel table. Why these choices: status and offer are retained so a device or server
 * that (re)connects sees the current state without asking; requests and chunks are QoS 0
 * because the device's pull loop already re-requests what does not arrive (QoS 1 would make
 * the broker queue stale chunks for an offline device, and would hold every request in the
 * device's outbox until acknowledged); everything that must not be lost is QoS 1.
 */
export const CHANNELS: Readonly<Record<Channel, ChannelSpec>> = {
  status: spec('status', 'device-to-server', 1, true),
  'ota/offer': spec('ota/offer', 'server-to-device', 1, true),
  'ota/request': spec('ota/request', 'device-to-server', 0, false),
  'ota/chunk': spec('ota/chunk', 'server-to-device', 0, false, 'binary', CHUNK_HEADER_SIZE + MAX_CHUNK_SIZE),
  'ota/progress': spec('ota/progress', 'device-to-server', 0, false),
  'ota/result': spec('ota/result', 'device-to-server', 1, false),
  telemetry: spec('telemetry', 'device-to-server', 1, false),
  samples: spec('samples', 'device-to-server', 1, false, 'json', MAX_SAMPLES_PAYLOAD),
  cmd: spec('cmd', 'server-to-device', 1, false),
};

/** Every channel, in documentation order. */
export const CHANNEL_NAMES: readonly Channel[] = Object.keys(CHANNELS) as Channel[];

/** True when `name` is one of the protocol's channels. */
export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(CHANNELS, name);
}

/** Full topic of a device's channel, e.g. `fleetprune/v1/devices/esp-1/ota/chunk`. */
export function channelTopic(deviceId: string, channel: Channel): string {
  return deviceTopic(deviceId, channel);
}

/** Splits a received topic into device id and channel; undefined for anything else. */
export function parseDeviceTopic(topic: string): { deviceId: string; channel: Channel } | undefined {
  const deviceId = deviceIdOfTopic(topic);
  if (deviceId === undefined) return undefined;
  const channel = topic.slice(DEVICES_ROOT.length + deviceId.length + 2);
  return isChannel(channel) ? { deviceId, channel } : undefined;
}
