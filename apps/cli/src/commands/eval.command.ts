import { Command } from 'commander';
import { DATASET_NAMES, loadDataset, take } from '@fleetprune/datasets';
import { evaluateClassifier, readModel } from '@fleetprune/tflite';
import { parseDatasetName, readFileOrFail } from '../cli-inputs';

/** `fleetprune eval <file.tflite> --dataset <name>`: test-set accuracy of an int8 classifier. */
export function evalCommand(): Command {
  return new Command('eval')
    .argument('<file.tflite>')
    .description(
      'test-set accuracy of an int8 image classifier (inputs x/255) with the reference interpreter',
    )
    .requiredOption('--dataset <name>', DATASET_NAMES.join(' | '))
    .option('--limit <n>', 'evaluate only the first n test images', (v) => Number.parseInt(v, 10))
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { dataset: string; limit?: number; json?: boolean }) => {
      const dataset = parseDatasetName(opts.dataset);
      const bytes = await readFileOrFail(file);
      const { test } = loadDataset(dataset);
      const data = opts.limit && opts.limit > 0 ? take(test, Math.min(opts.limit, test.count)) : test;
      const result = evaluateClassifier(readModel(bytes), data, {
        onProgress: (done, total) => process.stderr.write(`\r  evaluating ${done}/${total}`),
      });
      process.stderr.write('\n');
      const summary = {
        file,
        dataset: opts.dataset,
        images: result.count,
        correct: result.correct,
        accuracy: result.accuracy,
        msPerImage: result.msPerImage,
      };
      if (opts.json) console.log(JSON.stringify(summary, null, 2));
      else
        console.log(
          `accuracy ${(100 * result.accuracy).toFixed(2)}% (${result.correct}/${result.count}) on ${opts.dataset} test, ${result.msPerImage.toFixed(3)} ms/image`,
        );
    });
}
