import type { MqttClient } from 'mqtt';

/** Bytes a client's TCP socket has read plus written so far (MQTT packets, no TCP/IP headers). */
export function socketBytes(client: MqttClient): number {
  const socket = client.stream as unknown as { bytesRead?: number; bytesWritten?: number };
  return (socket.bytesRead ?? 0) + (socket.bytesWritten ?? 0);
}
