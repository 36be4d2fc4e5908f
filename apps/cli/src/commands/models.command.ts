import { basename, dirname, join } from 'node:path';
import { Command } from 'commander';
import { printTable } from '../output';
import { readFileOrFail } from '../cli-inputs';
import { ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface ModelAnswer {
  model: { id: string; name: string };
  version: { id: string; version: number; paramCount: number; artifactId: string };
}

/** `fleetprune models ...`: upload and list TensorFlow.js models. */
export function modelsCommand(): Command {
  const models = new Command('models').description('upload and list models');

  withServerOptions(models.command('upload <model.json>'))
    .description(
      'upload a TensorFlow.js Layers model (model.json + the weight files it names); prints the model id',
    )
    .option('--name <name>', 'model name (default: the folder name)')
    .option('--dataset <name>', 'fashion-mnist | mnist')
    .action(async (modelJson: string, opts: ServerOptions & { name?: string; dataset?: string }) => {
      const form = new FormData();
      form.append('name', opts.name ?? basename(dirname(modelJson)).replace(/[^A-Za-z0-9_.-]/g, '-'));
      if (opts.dataset) form.append('dataset', opts.dataset);
      const json = await readFileOrFail(modelJson);
      form.append('files', new Blob([new Uint8Array(json)]), 'model.json');
      const manifest =
        (JSON.parse(json.toString()) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
      for (const path of manifest.flatMap((g) => g.paths)) {
        form.append(
          'files',
          new Blob([new Uint8Array(await readFileOrFail(join(dirname(modelJson), path)))]),
          path,
        );
      }
      const answer = await new ServerClient(opts).request<ModelAnswer>('POST', '/api/models', form);
      console.error(
        `uploaded ${answer.model.name} v${answer.version.version} (${answer.version.paramCount} params, artifact ${answer.version.artifactId})`,
      );
      console.log(answer.model.id);
    });

  withServerOptions(models.command('list'))
    .description('list models and their versions')
    .option('--json', 'print JSON')
    .action(async (opts: ServerOptions & { json?: boolean }) => {
      const rows = await new ServerClient(opts).request<
        { id: string; name: string; dataset: string; versions: { version: number }[] }[]
      >('GET', '/api/models');
      printTable(
        rows.map((m) => ({ ...m, versions: m.versions.map((v) => v.version) })),
        ['id', 'name', 'dataset', 'versions'],
        opts.json,
      );
    });

  return models;
}
