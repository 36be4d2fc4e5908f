import { MAX_SAMPLES_PAYLOAD, MAX_SAMPLE_BYTES, MAX_SAMPLE_ITEMS, U32_MAX } from '../limits';
import { FieldReader, isRecord } from '../field-reader';
import { jsonCodec } from '../json-codec';
import { PROTOCOL_VERSION } from '../topics';
import { BASE64_PATTERN, EPOCH_MS_MAX, ID_RULE, VERSION_RULE } from './field-rules';

/** Element types a sample may carry, with their sizes in bytes. */
export const SAMPLE_DTYPES = { uint8: 1, int8: 1, float32: 4 } as const;
export type SampleDtype = keyof typeof SAMPLE_DTYPES;

/** One input the device saw, as the model's input tensor (float32 little-endian when float). */
export interface FieldSample {
  /** True class when known (a labelled stream); absent for unlabelled inputs. */
  label?: number;
  predicted: number;
  confidence: number;
  shape: number[];
  dtype: SampleDtype;
  /** Tensor bytes in standard padded base64; decoded length = product(shape) * dtype size. */
  data: string;
  capturedAt: number;
}

/** `samples` (device -> server, QoS 1): a bounded upload of field inputs for re-pruning. */
export interface FieldSamples {
  v: typeof PROTOCOL_VERSION;
  seq: number;
  artifactId: string;
  modelVersion: string;
  items: FieldSample[];
}

const MAX_CLASS = 65535;

function readItem(value: unknown, where: string): FieldSample {
  if (!isRecord(value)) throw new FieldReader({ item: value }, where).fail('item', 'be an object');
  const f = new FieldReader(value, where);
  const item: FieldSample = {
    label: f.optionalInteger('label', 0, MAX_CLASS),
    predicted: f.integer('predicted', 0, MAX_CLASS),
    confidence: f.number('confidence', 0, 1),
    shape: f.integerArray('shape', 1, 4, 1, MAX_SAMPLE_BYTES),
    dtype: f.oneOf('dtype', Object.keys(SAMPLE_DTYPES) as SampleDtype[]),
    data: f.string('data', {
      min: 0,
      max: Math.ceil(MAX_SAMPLE_BYTES / 3) * 4,
      pattern: BASE64_PATTERN,
      hint: 'padded base64',
    }),
    capturedAt: f.integer('capturedAt', 0, EPOCH_MS_MAX),
  };
  const expected = item.shape.reduce((a, b) => a * b, 1) * SAMPLE_DTYPES[item.dtype];
  f.check(expected <= MAX_SAMPLE_BYTES, 'shape', `describe at most ${MAX_SAMPLE_BYTES} bytes`);
  f.check(
    Buffer.byteLength(item.data, 'base64') === expected,
    'data',
    `decode to ${expected} bytes (shape x dtype)`,
  );
  if (item.label === undefined) delete item.label;
  return item;
}

/** Codec of the `samples` channel. */
export const fieldSamplesCodec = jsonCodec<FieldSamples>('samples', MAX_SAMPLES_PAYLOAD, (f) => ({
  v: PROTOCOL_VERSION,
  seq: f.integer('seq', 0, U32_MAX),
  artifactId: f.string('artifactId', ID_RULE),
  modelVersion: f.string('modelVersion', VERSION_RULE),
  items: f.array('items', 1, MAX_SAMPLE_ITEMS, readItem),
}));

/** Parses a `samples` payload; throws ProtocolError naming the bad field. */
export function parseFieldSamples(payload: Uint8Array): FieldSamples {
  return fieldSamplesCodec.parse(payload);
}

/** Encodes a `samples` message after validating it. */
export function encodeFieldSamples(message: FieldSamples): Buffer {
  return fieldSamplesCodec.encode(message);
}

/** The tensor bytes of a validated sample. */
export function sampleBytes(sample: FieldSample): Uint8Array {
  return new Uint8Array(Buffer.from(sample.data, 'base64'));
}
