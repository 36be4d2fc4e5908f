import { CHANNELS, Channel, ChannelSpec } from './channels';
import { ProtocolError } from './protocol-error';
import { DEVICES_ROOT, deviceTopic } from './topics';

/** A filter to subscribe to and the QoS to ask for. */
export interface Subscription {
  filter: string;
  qos: 0 | 1;
}

export interface ServerFilterOptions {
  /**
   * MQTT 5 shared-subscription group (`$share/<group>/...`): replicas in one group split the
   * messages between them. Leave undefined on MQTT 3.1.1 brokers such as the embedded aedes.
   */
  sharedGroup?: string;
}

const GROUP = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The filter a server subscribes to for one device-to-server channel, across all devices:
 * `fleetprune/v1/devices/+/<channel>`, or `$share/<group>/fleetprune/v1/devices/+/<channel>`.
 */
export function serverFilter(channel: Channel, options: ServerFilterOptions = {}): string {
  const plain = `${DEVICES_ROOT}/+/${channel}`;
  const group = options.sharedGroup;
  if (group === undefined) return plain;
  // The share name is one topic level and must hold no wildcard ([MQTT-4.8.2-2]).
  if (!GROUP.test(group))
    throw new ProtocolError(
      'INVALID_TOPIC',
      `shared group ${JSON.stringify(group)} must be 1-64 of A-Z a-z 0-9 _ -`,
    );
  return `$share/${group}/${plain}`;
}

/**
 * Everything a server replica subscribes to. Status is never shared: retained messages are
 * sent only when a non-shared subscription is made (MQTT 5 [MQTT-3.3.1-6]), and every
 * replica wants the fleet's presence.
 */
export function serverSubscriptions(options: ServerFilterOptions = {}): Subscription[] {
  return Object.values(CHANNELS)
    .filter((c: ChannelSpec) => c.direction === 'device-to-server')
    .map((c) => ({
      filter: serverFilter(c.channel, c.channel === 'status' ? {} : options),
      qos: c.qos,
    }));
}

/**
 * What a device subscribes to: its server-to-device channels, one filter each (not `.../#`,
 * which would echo its own publishes back on MQTT 3.1.1, which has no No Local option).
 */
export function deviceSubscriptions(deviceId: string): Subscription[] {
  return Object.values(CHANNELS)
    .filter((c) => c.direction === 'server-to-device')
    .map((c) => ({ filter: deviceTopic(deviceId, c.channel), qos: c.qos }));
}
