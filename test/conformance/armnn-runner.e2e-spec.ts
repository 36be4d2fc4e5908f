import { armnnMissing, ARMNN_APT_PACKAGES, runArmnn } from '../../tools/conformance/armnn-runner';
import { ConformanceError } from '../../tools/conformance/conformance-error';
import { floatRecord, floats, HELLO_FLOAT, modelBytes, OFFICIAL_CASES, SIMPLE_ADD } from './official-models';

describe(runArmnn.name, () => {
  beforeAll(async () => {
    // CI installs these packages; a machine without them must fail loudly, never skip.
    const missing = await armnnMissing();
    if (missing !== null)
      throw new Error(`Arm NN is not usable: ${missing} (${ARMNN_APT_PACKAGES.join(' ')})`);
  }, 60_000);

  it.each(OFFICIAL_CASES)('gives the README outputs: $title', async (c) => {
    const out = await runArmnn(modelBytes(c.model), c.inputs());
    expect(out.map((y) => Array.from(y))).toEqual(c.expected().map((y) => Array.from(y)));
  });

  it('matches TFLM byte for byte on simple_add (two inputs in one record)', async () => {
    const [out] = await runArmnn(modelBytes(SIMPLE_ADD.model), [SIMPLE_ADD.input()]);
    expect(Buffer.from(out.buffer).equals(Buffer.from(SIMPLE_ADD.tflmOutput()))).toBe(true);
  });

  it('runs float32 models on raw bytes too (hello_world_float within 6e-7)', async () => {
    const out = await runArmnn(
      modelBytes(HELLO_FLOAT.model),
      HELLO_FLOAT.x.map((x) => floatRecord(x)),
    );
    out.forEach((y, i) => expect(Math.abs(floats(y)[0] - HELLO_FLOAT.y[i])).toBeLessThanOrEqual(6e-7));
  });

  it("fails to load person_detect's 3-D bias quantized_dimension, naming the reason", async () => {
    const failure = runArmnn(modelBytes('person_detect.tflite'), [new Int8Array(96 * 96)]);
    await expect(failure).rejects.toThrow(ConformanceError);
    await expect(failure).rejects.toMatchObject({ code: 'LOAD_FAILED' });
    await expect(failure).rejects.toThrow(/per-axis quantization expected to be 0 on tensor bias/);
  });

  it('refuses input records of unequal size', async () => {
    await expect(
      runArmnn(modelBytes('hello_world_int8.tflite'), [new Int8Array(1), new Int8Array(2)]),
    ).rejects.toThrow(/equal size/);
  });

  it('names the apt packages when the engine is missing', async () => {
    const missing = await armnnMissing({ python: '/nonexistent/python3' });
    expect(missing).toContain(ARMNN_APT_PACKAGES.join(' '));
    await expect(
      runArmnn(modelBytes('hello_world_int8.tflite'), [new Int8Array(1)], { python: '/nonexistent/python3' }),
    ).rejects.toMatchObject({ code: 'ENGINE_MISSING' });
  });
});
