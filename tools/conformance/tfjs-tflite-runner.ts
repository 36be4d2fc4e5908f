/**
 * An independent TFLite engine for conformance checks: full TensorFlow Lite (with XNNPACK) as
 * shipped in npm @tensorflow/tfjs-tflite, run single-threaded in Node on raw int8 bytes.
 * Full TFLite applies its strict flatbuffer and quantization checks, which TFLite Micro skips.
 */
import type { TFLiteWebModelRunner } from '@tensorflow/tfjs-tflite';
import { ConformanceError } from './conformance-error';
import { loadTfliteWebApi } from './tflite-web-api';

/** Type and shape of one graph input or output as TFLite-WASM reports it. */
export interface WasmTensorInfo {
  dataType: string;
  shape: number[];
  bytes: number;
}

/** One loaded model. Inputs and outputs are raw bytes of all graph tensors, in graph order. */
export interface TfliteWasmRunner {
  readonly inputs: readonly WasmTensorInfo[];
  readonly outputs: readonly WasmTensorInfo[];
  /** Which wasm build runs it (e.g. `tflite_web_api_cc_simd.js`). */
  readonly build: string;
  /** Runs one inference; `input` holds every input tensor's bytes back to back. */
  run(input: Int8Array): Int8Array;
  /** Frees the model in the wasm heap; the runner is unusable afterwards. */
  close(): void;
}

type TensorInfos = ReturnType<TFLiteWebModelRunner['getInputs']>;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function describe(infos: TensorInfos): WasmTensorInfo[] {
  return infos.map((t) => ({
    dataType: t.dataType,
    shape: t.shape.split(',').map(Number),
    bytes: t.data().byteLength,
  }));
}

function total(infos: readonly WasmTensorInfo[]): number {
  return infos.reduce((sum, t) => sum + t.bytes, 0);
}

/**
 * Loads `.tflite` bytes into TFLite-WASM (one thread). Rejects with LOAD_FAILED quoting TFLite's
 * own error lines when the model does not pass full TFLite's checks.
 * @example const r = await createTfliteWasmRunner(bytes); const y = r.run(x); r.close();
 */
export async function createTfliteWasmRunner(bytes: Uint8Array): Promise<TfliteWasmRunner> {
  const api = await loadTfliteWebApi();
  // The wasm side copies the model into its own heap; hand it an exact-size ArrayBuffer.
  const model = bytes.slice().buffer;
  const logged = api.log.length;
  let runner: TFLiteWebModelRunner;
  try {
    runner = await api.tfweb.TFLiteWebModelRunner.create(model, { numThreads: 1 });
  } catch (error) {
    const said = api.log.slice(logged).filter((line) => /error/i.test(line));
    const why = [String(error instanceof Error ? error.message : error), ...said.slice(0, 5)].join('; ');
    throw new ConformanceError('LOAD_FAILED', `TFLite-WASM rejected the model: ${why}`);
  }
  const inputs = describe(runner.getInputs());
  const outputs = describe(runner.getOutputs());
  const inputBytes = total(inputs);
  let open = true;
  return {
    inputs,
    outputs,
    build: api.build,
    run(input: Int8Array): Int8Array {
      if (!open) throw new ConformanceError('INVALID_INPUT', 'TFLite-WASM runner used after close().');
      if (input.byteLength !== inputBytes) {
        throw new ConformanceError(
          'INVALID_INPUT',
          `TFLite-WASM model needs ${inputBytes} input bytes (${inputs.map((t) => `${t.dataType}[${t.shape}]`).join(' + ')}), got ${input.byteLength}.`,
        );
      }
      // Views into the wasm heap go stale when it grows, so fetch them on every call.
      const src = bytesOf(input);
      let offset = 0;
      for (const t of runner.getInputs()) {
        const dst = bytesOf(t.data());
        dst.set(src.subarray(offset, offset + dst.length));
        offset += dst.length;
      }
      if (!runner.infer()) throw new ConformanceError('RUN_FAILED', 'TFLite-WASM infer() returned false.');
      const out = new Int8Array(total(outputs));
      const dst = bytesOf(out);
      offset = 0;
      for (const t of runner.getOutputs()) {
        const src2 = bytesOf(t.data());
        dst.set(src2, offset);
        offset += src2.length;
      }
      return out;
    },
    close(): void {
      if (open) runner.cleanUp();
      open = false;
    },
  };
}
