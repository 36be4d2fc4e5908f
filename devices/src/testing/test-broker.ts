import { AddressInfo, createServer, Server } from 'node:net';
import Aedes from 'aedes';
import { mayDevicePublish, mayDeviceSubscribe } from '@fleetprune/protocol';

/** A real aedes broker on 127.0.0.1 (random port) with the device ACL; for specs. */
export interface TestBroker {
  url: string;
  /** Topics the ACL refused. */
  denied: string[];
  close(): Promise<void>;
}

/** Starts the broker. Client id `server` may do anything; devices only their own subtree. */
export async function startTestBroker(serverId = 'server'): Promise<TestBroker> {
  const denied: string[] = [];
  const aedes = new Aedes({
    authorizePublish: (client, packet, done) => {
      if (!client || client.id === serverId || mayDevicePublish(client.id, packet.topic)) return done(null);
      denied.push(packet.topic);
      done(new Error('denied'));
    },
    authorizeSubscribe: (client, sub, done) =>
      done(null, client?.id === serverId || mayDeviceSubscribe(client?.id ?? '', sub.topic) ? sub : null),
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
