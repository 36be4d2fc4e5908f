import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { Interpreter, readModel } from '@fleetprune/tflite';
import { readFileOrFail } from '../cli-inputs';

/** `fleetprune run <file.tflite> --input <raw> --output <raw>`: one invoke on raw tensor bytes. */
export function runCommand(): Command {
  return new Command('run')
    .argument('<file.tflite>')
    .description(
      'run a model once on a raw input tensor (little-endian bytes, NHWC) with the reference int8 interpreter',
    )
    .requiredOption('--input <file.raw>', 'raw bytes of input tensor 0')
    .option('--output <file.raw>', 'write output tensor 0 here (raw bytes)')
    .action(async (file: string, opts: { input: string; output?: string }) => {
      const [modelBytes, inputBytes] = await Promise.all([readFileOrFail(file), readFileOrFail(opts.input)]);
      const interpreter = new Interpreter(readModel(modelBytes)).allocate();
      interpreter.setInputBytes(0, inputBytes);
      const start = performance.now();
      interpreter.invoke();
      const ms = performance.now() - start;
      const output = interpreter.output(0);
      const info = interpreter.outputInfo(0);
      if (opts.output)
        await writeFile(opts.output, new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
      const values = Array.from(output as ArrayLike<number>);
      const shown =
        values.length > 32
          ? `${values.slice(0, 32).join(', ')}, ... (${values.length} values)`
          : values.join(', ');
      console.log(`output ${info.name} ${info.type} [${info.shape.join(',')}]: ${shown}`);
      console.error(`invoke took ${ms.toFixed(2)} ms`);
    });
}
