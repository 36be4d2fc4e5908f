import { Command } from 'commander';
import { ServerClient, ServerOptions } from '../server-client';
import { DeploymentView } from './deployment-view';
import { followDeployment } from './deployments.command';
import { withServerOptions } from './server-options';

const int = (v: string) => Number.parseInt(v, 10);

/** `fleetprune deploy`: assign an artifact to devices. */
export function deployCommand(): Command {
  return withServerOptions(new Command('deploy'))
    .description('deploy a tflite artifact to devices over the air; prints the deployment id')
    .requiredOption('--artifact <id>', 'tflite artifact id')
    .requiredOption('--target <target>', 'device:<id> | group:<name> | tag:<name> | profile:<name>')
    .option('--max-concurrent <n>', 'devices downloading at once (default 100)', int)
    .option('--max-attempts <n>', 'offers per device before it fails (default 3)', int)
    .option('--chunk-size <bytes>', 'OTA chunk size (default 8192)', int)
    .option('--wait', 'follow the rollout like "deployments show --wait"')
    .action(
      async (
        opts: ServerOptions & {
          artifact: string;
          target: string;
          maxConcurrent?: number;
          maxAttempts?: number;
          chunkSize?: number;
          wait?: boolean;
        },
      ) => {
        const client = new ServerClient(opts);
        const created = await client.request<DeploymentView>('POST', '/api/deployments', {
          artifactId: opts.artifact,
          target: opts.target,
          maxConcurrent: opts.maxConcurrent,
          maxAttempts: opts.maxAttempts,
          chunkSize: opts.chunkSize,
        });
        console.log(created.id);
        if (opts.wait) await followDeployment(client, created.id);
      },
    );
}
