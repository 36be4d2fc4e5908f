// The real server in its own process (what `npm start` runs), which also tells its parent the
// embedded broker's server credentials over IPC, so the benchmark's bare subscriber can read
// the same broker the server does. `node dist/bench/telemetry/server-child.js` with the
// server's usual environment.
import 'reflect-metadata';
import { BrokerService } from '../../apps/server/src/broker/broker.service';
import { loadAppConfig } from '../../apps/server/src/config/app-config';
import { createServer } from '../../apps/server/src/create-server';

/** What the child sends its parent once the server is up. */
export interface ServerChildReady {
  kind: 'ready';
  httpUrl: string;
  mqttUrl: string;
  token: string;
  mqttUsername: string;
  mqttPassword: string;
}

async function main(): Promise<void> {
  const server = await createServer(loadAppConfig(process.env));
  const endpoint = server.app.get(BrokerService).endpoint;
  const ready: ServerChildReady = {
    kind: 'ready',
    httpUrl: server.httpUrl,
    mqttUrl: server.mqttUrl,
    token: server.token,
    mqttUsername: endpoint.username ?? '',
    mqttPassword: endpoint.password ?? '',
  };
  process.send?.(ready);
  process.on('message', (message) => {
    if (message === 'exit') void server.app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
