import { Command } from 'commander';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface DeviceRow extends Record<string, unknown> {
  id: string;
  name: string;
  profile: string;
  status: string;
}

/** `fleetprune devices ...`: register, list, retire. */
export function devicesCommand(): Command {
  const devices = new Command('devices').description('register and list devices');

  withServerOptions(devices.command('list'))
    .description('list devices')
    .option('--profile <name>')
    .option('--group <name>')
    .option('--tag <tag>')
    .option('--status <status>', 'provisioned | online | offline | retired')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: ServerOptions & {
          profile?: string;
          group?: string;
          tag?: string;
          status?: string;
          json?: boolean;
        },
      ) => {
        const query = new URLSearchParams();
        for (const key of ['profile', 'group', 'tag', 'status'] as const)
          if (opts[key]) query.set(key, opts[key] as string);
        query.set('limit', '1000');
        const page = await new ServerClient(opts).request<{ total: number; items: DeviceRow[] }>(
          'GET',
          `/api/devices?${query}`,
        );
        printTable(page.items, ['id', 'name', 'profile', 'group', 'tags', 'status', 'lastSeenAt'], opts.json);
      },
    );

  withServerOptions(devices.command('register <name>'))
    .description('register a device and print its MQTT credentials (shown only once)')
    .requiredOption('--profile <name>', 'device profile (see "fleetprune profiles list")')
    .option('--group <name>')
    .option('--tag <tag...>', 'one or more tags')
    .action(
      async (name: string, opts: ServerOptions & { profile: string; group?: string; tag?: string[] }) => {
        const answer = await new ServerClient(opts).request<{ id: string; mqtt: Record<string, string> }>(
          'POST',
          '/api/devices',
          {
            name,
            profile: opts.profile,
            group: opts.group,
            tags: opts.tag,
          },
        );
        console.log(JSON.stringify(answer, null, 2));
      },
    );

  withServerOptions(devices.command('retire <id>'))
    .description('revoke a device for good (its credentials stop working at once)')
    .action(async (id: string, opts: ServerOptions) => {
      const device = await new ServerClient(opts).request<DeviceRow>(
        'POST',
        `/api/devices/${encodeURIComponent(id)}/retire`,
      );
      console.log(`${device.name} (${device.id}) is ${device.status}`);
    });

  return devices;
}
