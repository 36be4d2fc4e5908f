import { basename } from 'node:path';
import { Command } from 'commander';
import { readFileOrFail } from '../cli-inputs';
import { printTable } from '../output';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface ArtifactView {
  id: string;
  kind: string;
  bytes: number;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** `fleetprune artifacts ...`: register, list and show artifacts. */
export function artifactsCommand(): Command {
  const artifacts = new Command('artifacts').description('model artifacts stored on a server');

  withServerOptions(artifacts.command('upload <file.tflite>'))
    .description(
      'register an int8 .tflite (validated, ops and arena computed, signed); prints the artifact id',
    )
    .option('--model-version <version>', 'version string devices report (default art-<id prefix>)')
    .option('--name <identifier>', 'C identifier for the generated model array', 'model')
    .action(async (file: string, opts: ServerOptions & { modelVersion?: string; name: string }) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await readFileOrFail(file))]), basename(file));
      if (opts.modelVersion) form.append('modelVersion', opts.modelVersion);
      form.append('name', opts.name);
      const artifact = await new ServerClient(opts).request<ArtifactView>('POST', '/api/artifacts', form);
      const m = artifact.metadata;
      console.error(
        `registered ${basename(file)}: ${m.flashBytes} bytes, arena ${m.arenaBytes32} B (32-bit) / ${m.arenaBytes} B (64-bit), ops ${(m.ops as string[]).join(' ')}`,
      );
      console.log(artifact.id);
    });

  withServerOptions(artifacts.command('list'))
    .description('list artifacts')
    .option('--kind <kind>', 'tflite | tfjs-model | c-array | report | firmware')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { kind?: string; json?: boolean }) => {
      const query = opts.kind ? `?kind=${encodeURIComponent(opts.kind)}` : '';
      const rows = await new ServerClient(opts).request<ArtifactView[]>('GET', `/api/artifacts${query}`);
      printTable(
        rows.map((a) => ({ ...a, modelVersion: a.metadata.modelVersion, profile: a.metadata.profile })),
        ['id', 'kind', 'bytes', 'modelVersion', 'profile', 'createdAt'],
        opts.json,
      );
    });

  withServerOptions(artifacts.command('show <id>'))
    .description('show one artifact with its metadata')
    .action(async (id: string, opts: ServerOptions) => {
      const artifact = await new ServerClient(opts).request<ArtifactView>(
        'GET',
        `/api/artifacts/${encodeURIComponent(id)}`,
      );
      console.log(JSON.stringify(artifact, null, 2));
    });

  return artifacts;
}
