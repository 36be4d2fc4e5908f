import { AddressInfo, createConnection, createServer, Server, Socket } from 'node:net';

/** What the proxy may do to one broker-to-client PUBLISH, given its topic and the count so far. */
export type PublishFault = (topic: string, index: number) => 'pass' | 'corrupt' | 'cut' | 'drop';

/**
 * A TCP proxy between MQTT clients and a broker that splits the broker-to-client stream into
 * MQTT packets and can corrupt one byte of a PUBLISH payload, drop a PUBLISH (as QoS 0 may be
 * lost) or cut the connection right before one: real network faults, placed deterministically.
 */
export class MqttFaultProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private publishes = 0;
  corrupted = 0;
  cuts = 0;
  dropped = 0;

  constructor(
    private readonly brokerPort: number,
    private fault: PublishFault = () => 'pass',
  ) {}

  /** Starts listening on a free loopback port; resolves with the proxy's mqtt:// URL. */
  async start(): Promise<string> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `mqtt://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  setFault(fault: PublishFault): void {
    this.fault = fault;
    this.publishes = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pipe(client: Socket): void {
    const broker = createConnection({ host: '127.0.0.1', port: this.brokerPort });
    for (const s of [client, broker]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    const close = () => {
      client.destroy();
      broker.destroy();
    };
    client.on('close', close);
    broker.on('close', close);
    client.on('data', (data) => broker.write(data));
    let pending = Buffer.alloc(0);
    broker.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const packet = nextPacket(pending);
        if (!packet) return;
        const bytes = pending.subarray(0, packet.length);
        pending = pending.subarray(packet.length);
        if (packet.type === 3) {
          const verdict = this.fault(packet.topic ?? '', this.publishes++);
          if (verdict === 'cut') {
            this.cuts++;
            return close();
          }
          if (verdict === 'drop') {
            this.dropped++;
            continue;
          }
          if (verdict === 'corrupt') {
            this.corrupted++;
            const copy = Buffer.from(bytes);
            copy[copy.length - 1] ^= 0xff; // the last payload byte: the frame's CRC catches it
            client.write(copy);
            continue;
          }
        }
        client.write(bytes);
      }
    });
  }
}

/** The MQTT packet at the start of `buffer` (type, total length, PUBLISH topic), or undefined if incomplete. */
function nextPacket(buffer: Buffer): { type: number; length: number; topic?: string } | undefined {
  if (buffer.length < 2) return undefined;
  let remaining = 0;
  let multiplier = 1;
  let i = 1;
  for (;;) {
    if (i >= buffer.length) return undefined;
    const byte = buffer[i++];
    remaining += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) break;
  }
  const length = i + remaining;
  if (buffer.length < length) return undefined;
  const type = buffer[0] >> 4;
  if (type !== 3) return { type, length };
  const topicLength = buffer.readUInt16BE(i);
  return { type, length, topic: buffer.toString('utf8', i + 2, i + 2 + topicLength) };
}
