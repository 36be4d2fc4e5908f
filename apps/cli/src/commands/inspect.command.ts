import { Command } from 'commander';
import { modelSummary, readModel, TensorSummary } from '@fleetprune/tflite';
import { printTable } from '../output';
import { readFileOrFail } from '../cli-inputs';

/** `fleetprune inspect <file.tflite>`: ops, tensors, quantization, flash and arena bytes. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .argument('<file.tflite>')
    .description(
      'print a .tflite model: operators, tensors (shape, type, quantization), flash bytes and arena bytes',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const bytes = await readFileOrFail(file);
      const summary = modelSummary(readModel(bytes), { fileBytes: bytes.length });
      if (opts.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      console.log(`${file}: ${summary.description || '(no description)'}`);
      console.log(
        `flash ${summary.flashBytes} bytes, arena ${summary.arenaBytes} bytes (planned ${summary.arenaPlannedBytes} + TFLM bookkeeping ${summary.arenaOverheadBytes})`,
      );
      console.log(`inputs ${summary.inputs.join(', ')}; outputs ${summary.outputs.join(', ')}\n`);
      printTable(
        summary.ops.map((o) => ({ ...o })),
        ['op', 'version', 'count'],
      );
      console.log('');
      printTable(summary.tensors.map(tensorRow), [
        'index',
        'name',
        'type',
        'shape',
        'quant',
        'bytes',
        'where',
      ]);
    });
}

function tensorRow(t: TensorSummary): Record<string, unknown> {
  const q = t.quantization;
  let quant = '-';
  if (q && q.scale.length === 1) quant = `s=${q.scale[0].toPrecision(6)} zp=${q.zeroPoint[0]}`;
  else if (q && q.scale.length > 1) quant = `per-channel(${q.scale.length}, dim ${q.quantizedDimension})`;
  return {
    index: t.index,
    name: t.name,
    type: t.type,
    shape: `[${t.shape.join(',')}]`,
    quant,
    bytes: t.bytes,
    where: t.constant ? 'flash' : 'arena',
  };
}
