import { Command } from 'commander';

/** Adds the options every command that talks to a server takes. */
export function withServerOptions(command: Command): Command {
  return command
    .option('--server <url>', 'fleetprune server URL (env FLEETPRUNE_SERVER)', undefined)
    .option('--token <token>', 'operator token (env FLEETPRUNE_TOKEN, else DATA_DIR/admin-token)', undefined);
}
