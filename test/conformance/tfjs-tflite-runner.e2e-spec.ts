import { createTfliteWasmRunner } from '../../tools/conformance/tfjs-tflite-runner';
import { ConformanceError } from '../../tools/conformance/conformance-error';
import { floatRecord, floats, HELLO_FLOAT, OFFICIAL_CASES, modelBytes, SIMPLE_ADD } from './official-models';

const bytesOf = modelBytes;

describe(createTfliteWasmRunner.name, () => {
  it.each(OFFICIAL_CASES)('gives the README outputs: $title', async (c) => {
    const runner = await createTfliteWasmRunner(bytesOf(c.model));
    try {
      expect(runner.build).toMatch(/^tflite_web_api_cc(_simd)?\.js$/); // never a threaded build
      expect(c.inputs().map((x) => Array.from(runner.run(x)))).toEqual(
        c.expected().map((y) => Array.from(y)),
      );
    } finally {
      runner.close();
    }
  });

  it('differs from TFLM by at most 1 LSB on simple_add (README: one value of 16384)', async () => {
    const runner = await createTfliteWasmRunner(bytesOf(SIMPLE_ADD.model));
    const out = runner.run(SIMPLE_ADD.input());
    runner.close();
    const tflm = SIMPLE_ADD.tflmOutput();
    const diffs = Array.from(out).map((v, i) => Math.abs(v - tflm[i]));
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1);
    expect(diffs.filter((d) => d > 0).length).toBeLessThanOrEqual(1);
  });

  it('runs float32 models on raw bytes too (hello_world_float within 6e-7)', async () => {
    const runner = await createTfliteWasmRunner(bytesOf(HELLO_FLOAT.model));
    const y = HELLO_FLOAT.x.map((x) => floats(runner.run(floatRecord(x)))[0]);
    runner.close();
    y.forEach((v, i) => expect(Math.abs(v - HELLO_FLOAT.y[i])).toBeLessThanOrEqual(6e-7));
  });

  it("rejects person_detect's 3-D bias quantized_dimension with TFLite's own reason", async () => {
    const failure = createTfliteWasmRunner(bytesOf('person_detect.tflite'));
    await expect(failure).rejects.toThrow(ConformanceError);
    await expect(failure).rejects.toThrow(/quantized_dimension must be in range/);
  });

  it('refuses input of the wrong size and use after close', async () => {
    const runner = await createTfliteWasmRunner(bytesOf('hello_world_int8.tflite'));
    expect(() => runner.run(new Int8Array(2))).toThrow(/needs 1 input bytes/);
    runner.close();
    expect(() => runner.run(new Int8Array(1))).toThrow(/after close/);
  });
});
