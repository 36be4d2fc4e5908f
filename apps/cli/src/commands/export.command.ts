import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { DATASET_NAMES, loadDataset, representativeSubset, toFloat01 } from '@fleetprune/datasets';
import { loadLayersModel, readLayersModelFiles, selectBackend } from '@fleetprune/tfjs-runtime';
import { exportMicroModel } from '@fleetprune/tflite';
import { parseDatasetName } from '../cli-inputs';
import { CliError } from '../server-client';

interface ExportOptions {
  model: string;
  dataset: string;
  out: string;
  name: string;
  calibration: number;
  perChannelDense?: boolean;
}

/** `fleetprune export`: TF.js model -> int8 .tflite, C array, op resolver and report. */
export function exportCommand(): Command {
  return new Command('export')
    .description(
      'quantize a TensorFlow.js model to full int8 and write model.tflite, model_data.h/.cc, op_resolver.h and report.json',
    )
    .requiredOption('--model <model.json>', 'TensorFlow.js Layers model')
    .requiredOption('--dataset <name>', `calibration data: ${DATASET_NAMES.join(' | ')} (inputs x/255)`)
    .requiredOption('--out <dir>', 'output directory')
    .option('--name <name>', 'C identifier base for the array and constants', 'model')
    .option(
      '--calibration <n>',
      'representative images for calibration (100-500)',
      (v) => Number.parseInt(v, 10),
      200,
    )
    .option(
      '--per-channel-dense',
      'per-channel FULLY_CONNECTED weights (not supported by older TFLM builds and Arm NN)',
    )
    .action(async (opts: ExportOptions) => {
      const dataset = parseDatasetName(opts.dataset);
      if (!Number.isInteger(opts.calibration) || opts.calibration < 10 || opts.calibration > 5000) {
        throw new CliError('--calibration must be an integer between 10 and 5000');
      }
      await selectBackend({ log: (line) => console.error(line) });
      const model = await loadLayersModel(await readLayersModelFiles(opts.model));
      const { train } = loadDataset(dataset);
      const representative = toFloat01(representativeSubset(train, opts.calibration, 1));
      const exported = exportMicroModel(model, representative, {
        name: opts.name,
        perChannelDense: opts.perChannelDense,
      });
      await mkdir(opts.out, { recursive: true });
      for (const file of exported.files) await writeFile(join(opts.out, file.name), file.bytes);
      const r = exported.report;
      console.log(`wrote ${exported.files.map((f) => f.name).join(', ')} to ${opts.out}`);
      console.log(
        `flash ${r.flashBytes} bytes, arena ${r.arenaBytes} bytes (${r.arenaBytes32} on 32-bit), ops ${r.ops.join(' ')}`,
      );
    });
}
