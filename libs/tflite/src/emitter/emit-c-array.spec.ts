import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TfliteError } from '../tflite-error';
import { cIdentifier, pascalIdentifier } from './c-identifier';
import { emitCArray } from './emit-c-array';

const HELLO = join(__dirname, '../../../../../shared/testdata/tflite/hello_world_int8.tflite');

function hasXxd(): boolean {
  try {
    execFileSync('xxd', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe(emitCArray.name, () => {
  const bytes = new Uint8Array(readFileSync(HELLO));

  it('declares an aligned array and its length, with an include guard', () => {
    const { header, source, arrayName } = emitCArray(bytes, { name: 'hello-world int8' });
    expect(arrayName).toBe('hello_world_int8');
    expect(header).toContain('#ifndef FLEETPRUNE_HELLO_WORLD_INT8_MODEL_DATA_H_');
    expect(header).toContain('extern const unsigned char hello_world_int8[];');
    expect(header).toContain('extern const unsigned int hello_world_int8_len;');
    expect(source).toContain('#include "model_data.h"');
    expect(source).toContain('alignas(16) const unsigned char hello_world_int8[] = {');
    expect(source).toContain(`const unsigned int hello_world_int8_len = ${bytes.length};`);
  });

  (hasXxd() ? it : it.skip)('lays the bytes out exactly as `xxd -i` does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetprune-xxd-'));
    try {
      const file = join(dir, 'm.tflite');
      writeFileSync(file, bytes);
      const xxd = execFileSync('xxd', ['-i', file], { encoding: 'utf8' });
      const body = (text: string): string => text.slice(text.indexOf('{\n') + 2, text.indexOf('\n};'));
      expect(body(emitCArray(bytes).source)).toBe(body(xxd));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an empty model', () => {
    expect(() => emitCArray(new Uint8Array(0))).toThrow(TfliteError);
  });
});

describe(cIdentifier.name, () => {
  it.each([
    ['person_detect', 'person_detect', 'PersonDetect'],
    ['Fashion MNIST v2.1', 'fashion_mnist_v2_1', 'FashionMnistV21'],
    ['personDetect', 'person_detect', 'PersonDetect'],
    ['3-layer', 'model_3_layer', 'Model3Layer'],
    ['int', 'model_int', 'ModelInt'],
    ['***', 'model', 'Model'],
  ])('%s -> %s / %s', (name, snake, pascal) => {
    expect(cIdentifier(name)).toBe(snake);
    expect(pascalIdentifier(name)).toBe(pascal);
  });
});
