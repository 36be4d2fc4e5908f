// The transfer floor: N bare mqtt.js clients pull the same bytes in the same chunk size from a
// bare responder through a broker (QoS 0 both ways, no JSON, no CRC, no verification). What
// our OTA takes beyond this is the protocol's and the devices' cost.
import { connectAsync, MqttClient } from 'mqtt';
import { socketBytes } from './socket-bytes';

export interface FloorOptions {
  clients: number;
  bytes: Buffer;
  chunkSize: number;
  /** Requests each client keeps in flight (the devices' default is 4). */
  window: number;
  /** Give up after this long. */
  timeoutMs: number;
}

export interface FloorResult {
  ms: number;
  completed: number;
  /** Model bytes delivered per second across all clients, MB/s (10^6). */
  payloadMBps: number;
  /** Client-side MQTT bytes (both directions) per model byte delivered. */
  wireRatio: number;
}

/** Connects in batches so the broker is not flooded with simultaneous handshakes. */
export async function connectMany(
  count: number,
  connect: (index: number) => Promise<MqttClient>,
  batch = 50,
): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let i = 0; i < count; i += batch) {
    const size = Math.min(batch, count - i);
    clients.push(...(await Promise.all(Array.from({ length: size }, (_, k) => connect(i + k)))));
  }
  return clients;
}

/** Runs one floor measurement through the broker at `url`. */
export async function measureFloor(url: string, opts: FloorOptions): Promise<FloorResult> {
  const { bytes, chunkSize } = opts;
  const chunks = Math.ceil(bytes.length / chunkSize);
  const responder = await connectAsync(url, { clientId: 'floor-responder', reconnectPeriod: 0 });
  responder.on('message', (topic, payload) => {
    const offset = payload.readUInt32BE(0);
    const reply = Buffer.alloc(4 + Math.min(chunkSize, bytes.length - offset));
    reply.writeUInt32BE(offset, 0);
    bytes.copy(reply, 4, offset, offset + reply.length - 4);
    responder.publish(topic.replace(/\/req$/, '/chunk'), reply, { qos: 0 });
  });
  await responder.subscribeAsync('floor/+/req', { qos: 0 });
  const clients = await connectMany(opts.clients, async (i) => {
    const client = await connectAsync(url, { clientId: `floor-${i}`, reconnectPeriod: 0 });
    await client.subscribeAsync(`floor/${i}/chunk`, { qos: 0 });
    return client;
  });
  const before = clients.reduce((sum, c) => sum + socketBytes(c), 0);
  const started = performance.now();
  let completed = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.timeoutMs);
    clients.forEach((client, i) => {
      let next = 0;
      let received = 0;
      const request = () => {
        const offset = Buffer.alloc(4);
        offset.writeUInt32BE(next++ * chunkSize, 0);
        client.publish(`floor/${i}/req`, offset, { qos: 0 });
      };
      client.on('message', () => {
        received++;
        if (next < chunks) request();
        if (received === chunks && ++completed === clients.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      for (let w = 0; w < Math.min(opts.window, chunks); w++) request();
    });
  });
  const ms = performance.now() - started;
  const wire = clients.reduce((sum, c) => sum + socketBytes(c), 0) - before;
  await Promise.all([...clients, responder].map((c) => c.endAsync(true)));
  return {
    ms,
    completed,
    payloadMBps: (completed * bytes.length) / 1e6 / (ms / 1000),
    wireRatio: wire / Math.max(1, completed * bytes.length),
  };
}
