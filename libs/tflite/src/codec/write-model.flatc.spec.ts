import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from './read-model';
import { writeModel } from './write-model';

const DIR = join(__dirname, '../../../../../shared/testdata/tflite');
const SCHEMA = join(__dirname, '../../schema/tflite.fbs');
const FLATC = '/usr/bin/flatc';
const MODELS = ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'simple_add_model'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The C++ flatc decoding of a binary with our schema: an independent reader of our output. */
function flatcJson(bytes: Uint8Array, work: string, name: string): { [key: string]: Json } {
  const file = join(work, `${name}.tflite`);
  writeFileSync(file, bytes);
  execFileSync(FLATC, ['--json', '--strict-json', '--raw-binary', '-o', work, SCHEMA, '--', file]);
  return JSON.parse(readFileSync(join(work, `${name}.json`), 'utf8')) as { [key: string]: Json };
}

/**
 * Differences the plain model does not carry by design: an empty quantization table means
 * "not quantized", a file that predates `builtin_code` gets it written, and an absent
 * subgraph name reads as ''.
 */
function normalise(json: Json): Json {
  if (Array.isArray(json)) return json.map(normalise);
  if (json === null || typeof json !== 'object') return json;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'quantization' && value !== null && typeof value === 'object' && !Object.keys(value).length)
      continue;
    if (key === 'builtin_code' || key === 'has_rank' || (key === 'name' && value === '')) continue;
    out[key] = normalise(value);
  }
  return out;
}

const maybe = existsSync(FLATC) ? describe : describe.skip;

maybe(`${writeModel.name} read back by flatc (C++)`, () => {
  let work = '';
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'fleetprune-flatc-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(MODELS)('%s: flatc decodes our bytes to the same JSON as the official file', (name) => {
    const original = new Uint8Array(readFileSync(join(DIR, `${name}.tflite`)));
    const ours = writeModel(readModel(original));
    expect(normalise(flatcJson(ours, work, `${name}-ours`))).toEqual(
      normalise(flatcJson(original, work, name)),
    );
  });
});
