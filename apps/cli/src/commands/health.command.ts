import { Command } from 'commander';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

/** `fleetprune health`: is the server up, with its database and broker. */
export function healthCommand(): Command {
  return withServerOptions(new Command('health'))
    .description("show the server's health (database and MQTT broker)")
    .action(async (opts: ServerOptions) => {
      console.log(JSON.stringify(await new ServerClient(opts).request('GET', '/health'), null, 2));
    });
}
