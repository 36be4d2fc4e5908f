import { readFileSync } from 'fs';
import { join } from 'path';
import { readModel } from '../codec/read-model';
import { singleOpModel, q } from '../kernels/single-op-model.spec-helper';
import { TfliteError } from '../tflite-error';
import { Interpreter } from './interpreter';

// Official TFLM example models and the outputs a host build of TFLM produced for them
// (/work/shared/testdata/tflite/README.md, "Observed outputs").
const DATA = '/work/shared/testdata/tflite';
const load = (file: string): Uint8Array => readFileSync(join(DATA, file));
const interpreterFor = (file: string): Interpreter => new Interpreter(readModel(load(file))).allocate();

describe(Interpreter.name, () => {
  describe('TFLM reference outputs, byte for byte', () => {
    it('hello_world_int8: q = -96/-63/-34/0 -> 89/125/93/4', () => {
      const it8 = interpreterFor('hello_world_int8.tflite');
      const outputs = [-96, -63, -34, 0].map((x) => it8.invokeAll([Int8Array.of(x)])[0][0]);
      expect(outputs).toEqual([89, 125, 93, 4]);
    });

    it('hello_world_float: x = 0/1/3/5 within 1e-6 of TFLM', () => {
      const f = interpreterFor('hello_world_float.tflite');
      const outputs = [0, 1, 3, 5].map((x) => f.invokeAll([Float32Array.of(x)])[0][0]);
      const tflm = [0.0264052898, 0.863043606, 0.127646029, -0.956518769];
      outputs.forEach((y, i) => expect(Math.abs(y - tflm[i])).toBeLessThan(1e-6));
    });

    it.each(['person_detect.tflite', 'person_detect_biasqdim0.tflite'])(
      '%s: person -> [-113, 113], no person -> [57, -57]',
      (file) => {
        const pd = interpreterFor(file);
        pd.setInputBytes(0, load('person_image_int8.raw'));
        pd.invoke();
        expect(Array.from(pd.output(0))).toEqual([-113, 113]);
        pd.setInputBytes(0, load('no_person_image_int8.raw'));
        pd.invoke();
        expect(Array.from(pd.output(0))).toEqual([57, -57]);
      },
    );

    it('micro_speech: yes/no/silence/noise features -> the four TFLM rows', () => {
      const ms = interpreterFor('micro_speech_quantized.tflite');
      const rows = ['yes', 'no', 'silence', 'noise'].map((clip) => {
        ms.setInputBytes(0, load(`micro_speech_${clip}_features_int8.raw`));
        ms.invoke();
        return Array.from(ms.output(0));
      });
      expect(rows).toEqual([
        [-128, -128, 127, -128],
        [-128, -114, -128, 114],
        [-42, -68, -68, -78],
        [120, -125, -126, -125],
      ]);
    });

    it('simple_add: byte-identical to the TFLM output file', () => {
      const add = interpreterFor('simple_add_model.tflite');
      add.setInputBytes(0, load('simple_add_input1_int8.raw'));
      add.setInputBytes(1, load('simple_add_input2_int8.raw'));
      add.invoke();
      const out = add.output(0);
      expect(
        Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(
          Buffer.from(load('simple_add_output_tflm_int8.raw')),
        ),
      ).toBe(true);
    });
  });

  describe('API', () => {
    it('describes inputs and outputs with their quantization', () => {
      const it8 = interpreterFor('hello_world_int8.tflite');
      expect(it8.inputCount).toBe(1);
      expect(it8.outputCount).toBe(1);
      const input = it8.inputInfo(0);
      expect(input.type).toBe('INT8');
      expect(input.shape).toEqual([1, 1]);
      expect(input.zeroPoint).toEqual([-128]);
      expect(input.scale[0]).toBe(Math.fround(0.024480115622282028));
      expect(it8.outputInfo(0).zeroPoint).toEqual([5]);
    });

    it('records every operator output when asked, the last one being the graph output', () => {
      const rec = new Interpreter(readModel(load('hello_world_int8.tflite')), { recordIntermediates: true });
      const [y] = rec.invokeAll([[-63]]);
      const steps = rec.intermediates();
      expect(steps.map((s) => s.opName)).toEqual(['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
      expect(steps.map((s) => s.tensor.shape)).toEqual([
        [1, 16],
        [1, 16],
        [1, 1],
      ]);
      expect(Array.from(steps[2].data)).toEqual(Array.from(y));
    });

    it('keeps outputs as copies and runs repeatedly with the same result', () => {
      const it8 = interpreterFor('hello_world_int8.tflite');
      it8.setInput(0, [-34]);
      it8.invoke();
      const first = it8.output(0);
      first[0] = 0;
      it8.invoke();
      expect(it8.output(0)[0]).toBe(93);
    });

    it('lets interpreters of one model object run independently', () => {
      const model = readModel(load('hello_world_int8.tflite'));
      const a = new Interpreter(model).allocate();
      const b = new Interpreter(model).allocate();
      a.setInput(0, [-96]);
      b.setInput(0, [0]);
      a.invoke();
      b.invoke();
      expect([a.output(0)[0], b.output(0)[0]]).toEqual([89, 4]);
    });

    it('rejects inputs of the wrong element type, length or range', () => {
      const it8 = interpreterFor('hello_world_int8.tflite');
      expect(() => it8.setInput(0, Float32Array.of(0.5))).toThrow(/takes a Int8Array, got a Float32Array/);
      expect(() => it8.setInput(0, Int8Array.of(1, 2))).toThrow(/needs 1 values, got 2/);
      expect(() => it8.setInput(0, [200])).toThrow(/not representable as INT8/);
      expect(() => it8.setInputBytes(0, new Uint8Array(3))).toThrow(/needs 1 bytes/);
      expect(() => it8.setInput(1, [0])).toThrow(TfliteError);
    });

    it('refuses an unsupported op, listing the supported ones', () => {
      const model = singleOpModel('TANH', [q([1, 4], 0.1)], [q([1, 4], 1 / 128)]);
      const attempt = (): Interpreter => new Interpreter(model).allocate();
      expect(attempt).toThrow(TfliteError);
      expect(attempt).toThrow(/TANH \(op 0\) is not supported.*supported ops: ADD, AVERAGE_POOL_2D, CONV_2D/);
    });
  });
});
