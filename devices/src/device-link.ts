import { Channel, CHANNELS, channelTopic, statusWill } from '@fleetprune/protocol';
import mqtt, { MqttClient } from 'mqtt';
import { DeviceAgentOptions } from './agent-types';
import { DeviceError } from './device-error';

/** Opens a device's MQTT connection: client id = username = device id, with its last will. */
export function openDeviceClient(o: DeviceAgentOptions): MqttClient {
  const will = statusWill(o.deviceId);
  return mqtt.connect(o.mqttUrl, {
    clientId: o.deviceId,
    username: o.deviceId,
    password: o.password,
    clean: true, // the retained offer and the pull loop recover all state (docs/protocol.md)
    will: { topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain },
    reconnectPeriod: o.reconnectPeriodMs,
    connectTimeout: o.connectTimeoutMs,
    keepalive: o.keepaliveS,
    resubscribe: false, // the agent publishes status first, then subscribes, on every connect
    queueQoSZero: false,
  });
}

/** Resolves at the first CONNACK; rejects with CONNECT_FAILED on an error or after `timeoutMs`. */
export function firstConnect(client: MqttClient, o: DeviceAgentOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanup();
      reject(
        new DeviceError(
          'CONNECT_FAILED',
          `${o.deviceId} could not connect to ${o.mqttUrl}: ${error.message}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(new Error(`no CONNACK within ${o.connectTimeoutMs} ms`)),
      o.connectTimeoutMs,
    );
    const ok = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('connect', ok);
      client.off('error', fail);
    };
    client.once('connect', ok);
    client.once('error', fail);
  });
}

/** Publishes on one of the device's channels with that channel's QoS and retain flag. */
export function publishChannel(
  client: MqttClient,
  deviceId: string,
  channel: Channel,
  payload: Buffer,
  onError: (error: Error) => void,
): void {
  const spec = CHANNELS[channel];
  // QoS 0 while offline is lost on a real link too; mqtt.js would only queue it.
  if (spec.qos === 0 && !client.connected) return;
  client.publish(
    channelTopic(deviceId, channel),
    payload,
    { qos: spec.qos, retain: spec.retained },
    (error) => {
      if (error) onError(error);
    },
  );
}
