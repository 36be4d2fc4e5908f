import { AddressInfo, createServer, Server } from 'node:net';
import Aedes from 'aedes';
import { mayDevicePublish, mayDeviceSubscribe } from '@fleetprune/protocol';

/** A real aedes broker on 127.0.0.1 (random port) with the device ACL; for specs. */
export interface TestBroker {
  url: string;
  /** Topics the ACL refused (publishes and subscriptions). */
  denied: string[];
  close(): Promise<void>;
}

/** Options of `startTestBroker`, merged over `DEFAULT_TEST_BROKER_OPTIONS`. */
export interface TestBrokerOptions {
  /** The client id that may publish and subscribe anywhere (the fleet server). */
  serverId: string;
  /**
   * Device passwords by client id, read at each CONNECT. When given, a device must connect
   * with username = its client id and this password; when absent, any client may connect.
   */
  passwords?: ReadonlyMap<string, string>;
}

export const DEFAULT_TEST_BROKER_OPTIONS: Readonly<TestBrokerOptions> = Object.freeze({ serverId: 'server' });

/** Starts the broker. Client id `serverId` may do anything; devices only their own subtree. */
export async function startTestBroker(options: Partial<TestBrokerOptions> = {}): Promise<TestBroker> {
  const { serverId, passwords } = { ...DEFAULT_TEST_BROKER_OPTIONS, ...options };
  const denied: string[] = [];
  const aedes = new Aedes({
    authenticate: (client, username, password, done) =>
      done(
        null,
        !passwords ||
          client.id === serverId ||
          (username === client.id && password?.toString() === passwords.get(client.id)),
      ),
    authorizePublish: (client, packet, done) => {
      if (!client || client.id === serverId || mayDevicePublish(client.id, packet.topic)) return done(null);
      denied.push(packet.topic);
      done(new Error('denied'));
    },
    authorizeSubscribe: (client, sub, done) => {
      const ok = client?.id === serverId || mayDeviceSubscribe(client?.id ?? '', sub.topic);
      if (!ok) denied.push(sub.topic);
      done(null, ok ? sub : null);
    },
  });
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    denied,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
