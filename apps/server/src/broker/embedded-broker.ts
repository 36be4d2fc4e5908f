import { AddressInfo, createServer, Server } from 'node:net';
import Aedes, { AuthenticateError, Client } from 'aedes';
import { DeviceAccessPolicy, MqttPrincipal } from './device-access-policy';

export interface EmbeddedBrokerEvents {
  onDeviceConnected?: (deviceId: string) => void;
  onDeviceDisconnected?: (deviceId: string) => void;
  onDenied?: (what: string) => void;
}

/** In-process publish and subscribe on the embedded broker (see EmbeddedBroker.local). */
export interface LocalBrokerLink {
  publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain?: boolean }): Promise<void>;
  subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void>;
  /** Deletes the message retained on `topic` without delivering anything to its subscribers. */
  clearRetained(topic: string): Promise<void>;
}

/** A message as aedes hands it over, live or retained. */
interface BrokerPacket {
  topic: string;
  payload: string | Buffer;
}

/** The part of aedes's persistence that keeps retained messages. */
interface RetainedStore {
  createRetainedStream(filter: string): AsyncIterable<BrokerPacket>;
  /** An empty payload deletes the topic's retained message. */
  storeRetained(
    packet: BrokerPacket & { cmd: 'publish'; qos: 0; retain: true },
    done: (error?: Error) => void,
  ): void;
}

/** Return code 5 "not authorized" of MQTT 3.1.1 CONNACK ([MQTT-3.2.2-3] table 3.1). */
const NOT_AUTHORIZED = 5;
const BAD_CREDENTIALS = 4;

/** aedes on a TCP port, with our access policy wired into its hooks. */
export class EmbeddedBroker {
  private readonly aedes: Aedes;
  private readonly server: Server;
  private readonly principals = new WeakMap<Client, MqttPrincipal>();
  deniedCount = 0;

  constructor(
    private readonly policy: DeviceAccessPolicy,
    private readonly events: EmbeddedBrokerEvents = {},
  ) {
    this.aedes = new Aedes({
      authenticate: (client, username, password, done) => {
        policy.authenticate(client.id, username, password).then(
          (principal) => {
            if (!principal) {
              this.deny(`CONNECT refused for client ${client.id} (user ${username ?? '-'})`);
              const error = new Error('bad username or password') as AuthenticateError;
              error.returnCode = BAD_CREDENTIALS;
              return done(error, false);
            }
            this.principals.set(client, principal);
            done(null, true);
          },
          () => {
            const error = new Error('not authorized') as AuthenticateError;
            error.returnCode = NOT_AUTHORIZED;
            done(error, false);
          },
        );
      },
      authorizePublish: (client, packet, callback) => {
        // A null client is the broker itself (retained/will delivery).
        const principal = client ? this.principals.get(client) : { kind: 'server' as const };
        if (principal && policy.mayPublish(principal, packet.topic)) return callback(null);
        this.deny(`PUBLISH to ${packet.topic} denied for ${client?.id ?? '?'}`);
        callback(new Error('publish not authorized'));
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const principal = this.principals.get(client);
        if (principal && policy.maySubscribe(principal, subscription.topic))
          return callback(null, subscription);
        this.deny(`SUBSCRIBE to ${subscription.topic} denied for ${client.id}`);
        // A null subscription answers SUBACK 0x80 (failure) instead of dropping the client.
        callback(null, null);
      },
    });
    this.aedes.on('clientReady', (client) => {
      const principal = this.principals.get(client);
      if (principal?.kind === 'device') events.onDeviceConnected?.(principal.deviceId);
    });
    this.aedes.on('clientDisconnect', (client) => {
      const principal = this.principals.get(client);
      if (principal?.kind === 'device') events.onDeviceDisconnected?.(principal.deviceId);
    });
    this.server = createServer(this.aedes.handle);
  }

  /** Starts listening; resolves with the bound port (useful when `port` is 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  get connectedClients(): number {
    return this.aedes.connectedClients;
  }

  get listening(): boolean {
    return this.server.listening && !this.aedes.closed;
  }

  /**
   * The server's own link into the broker, without a socket: publishes enter aedes directly
   * (retained ones are stored) and subscriptions are in-process listeners, which spares every
   * chunk request and chunk two MQTT encodings, two parses and a PUBACK.
   */
  readonly local: LocalBrokerLink = {
    publish: (topic, payload, options) =>
      new Promise<void>((resolve, reject) =>
        this.aedes.publish(
          { cmd: 'publish', topic, payload, qos: options.qos, retain: options.retain ?? false, dup: false },
          (error?: Error) => (error ? reject(error) : resolve()),
        ),
      ),
    subscribe: async (filter, handler) => {
      const deliver = (packet: BrokerPacket) =>
        handler(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
      await new Promise<void>((resolve) =>
        this.aedes.subscribe(
          filter,
          (packet, done) => {
            deliver(packet);
            // aedes's emitter releases its next queued message inside done(): calling it
            // synchronously recursed once per queued message (stack overflow at 4,000 devices).
            queueMicrotask(done);
          },
          () => resolve(),
        ),
      );
      // Like an MQTT SUBSCRIBE, hand over what is retained: devices that reconnected to a
      // restarted server before this listener existed published their status only then.
      for await (const packet of this.retained.createRetainedStream(filter)) deliver(packet);
    },
    clearRetained: (topic) =>
      new Promise<void>((resolve, reject) =>
        this.retained.storeRetained(
          { cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true },
          (error) => (error ? reject(error) : resolve()),
        ),
      ),
  };

  private get retained(): RetainedStore {
    return (this.aedes as unknown as { persistence: RetainedStore }).persistence;
  }

  /** Drops a device's live connection (after its credentials were revoked). */
  disconnect(clientId: string): void {
    const clients = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients;
    clients[clientId]?.close();
  }

  /** Stops accepting, closes every client, then the broker. */
  async close(): Promise<void> {
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await serverClosed;
  }

  private deny(what: string): void {
    this.deniedCount++;
    this.events.onDenied?.(what);
  }
}
