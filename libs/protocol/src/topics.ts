import { ProtocolError } from './protocol-error';

/**
 * The MQTT topic tree. Every device owns exactly one subtree,
 * `fleetprune/v1/devices/<deviceId>/...`, and the broker's ACL confines it there.
 */

export const PROTOCOL_VERSION = 1;
export const TOPIC_ROOT = `fleetprune/v${PROTOCOL_VERSION}`;
export const DEVICES_ROOT = `${TOPIC_ROOT}/devices`;

/** Device ids travel inside topics, so they must not contain MQTT separators or wildcards. */
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `id` can be used as a topic level. */
export function isValidDeviceId(id: string): boolean {
  return DEVICE_ID.test(id);
}

/** The subtree prefix a device may publish and subscribe under (ends with '/'). */
export function deviceTopicPrefix(deviceId: string): string {
  if (!isValidDeviceId(deviceId))
    throw new ProtocolError(
      'INVALID_TOPIC',
      `invalid device id ${JSON.stringify(deviceId)} (1-64 of A-Z a-z 0-9 _ -)`,
    );
  return `${DEVICES_ROOT}/${deviceId}/`;
}

/** Full topic for one of a device's channels, e.g. deviceTopic(id, 'status'). */
export function deviceTopic(deviceId: string, channel: string): string {
  return deviceTopicPrefix(deviceId) + channel;
}

/**
 * Whether a device may publish to `topic`. Publish topics never contain wildcards
 * ([MQTT-3.3.2-2]); we still refuse them so a broken broker cannot widen the ACL.
 */
export function mayDevicePublish(deviceId: string, topic: string): boolean {
  return topic.startsWith(deviceTopicPrefix(deviceId)) && !/[+#]/.test(topic);
}

/**
 * Whether a device may subscribe to `filter`: only filters inside its own subtree, so
 * wildcards may appear after the prefix but never in place of the device id; shared
 * subscriptions (`$share/...`) are for servers only.
 */
export function mayDeviceSubscribe(deviceId: string, filter: string): boolean {
  return filter.startsWith(deviceTopicPrefix(deviceId));
}

/** Extracts the device id from a topic under DEVICES_ROOT, or undefined. */
export function deviceIdOfTopic(topic: string): string | undefined {
  if (!topic.startsWith(`${DEVICES_ROOT}/`)) return undefined;
  const id = topic.slice(DEVICES_ROOT.length + 1).split('/', 1)[0];
  return isValidDeviceId(id) ? id : undefined;
}
