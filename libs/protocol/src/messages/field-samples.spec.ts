import { MAX_SAMPLES_PAYLOAD } from '../limits';
import { protocolErrorOf } from '../testing/protocol-error-code';
import { runCodecSuite } from '../testing/json-codec-suite';
import { FieldSamples, fieldSamplesCodec, parseFieldSamples, sampleBytes } from './field-samples';

const image = Buffer.from(Array.from({ length: 784 }, (_, i) => i % 256));
const samples: FieldSamples = {
  v: 1,
  seq: 5,
  artifactId: 'art-1',
  modelVersion: '1.0',
  items: [
    {
      label: 3,
      predicted: 5,
      confidence: 0.61,
      shape: [28, 28, 1],
      dtype: 'uint8',
      data: image.toString('base64'),
      capturedAt: 1,
    },
    {
      predicted: 2,
      confidence: 1,
      shape: [2],
      dtype: 'float32',
      data: Buffer.alloc(8).toString('base64'),
      capturedAt: 2,
    },
  ],
};

describe(parseFieldSamples.name, () => {
  runCodecSuite({
    codec: fieldSamplesCodec,
    valid: [samples],
    required: Object.keys(samples),
    bad: [
      { label: 'no items', mutate: (m) => (m.items = []), code: 'INVALID_MESSAGE', mentions: '"items"' },
      {
        label: '17 items',
        mutate: (m) => (m.items = Array(17).fill((m.items as unknown[])[1])),
        code: 'INVALID_MESSAGE',
        mentions: '"items"',
      },
      {
        label: 'data shorter than its shape',
        mutate: (m) => ((m.items as Record<string, unknown>[])[0].shape = [28, 28, 2]),
        code: 'INVALID_MESSAGE',
        mentions: 'items[0] field "data"',
      },
      {
        label: 'a confidence above 1',
        mutate: (m) => ((m.items as Record<string, unknown>[])[1].confidence = 1.01),
        code: 'INVALID_MESSAGE',
        mentions: 'items[1] field "confidence"',
      },
      {
        label: 'a shape of 5 dims',
        mutate: (m) => ((m.items as Record<string, unknown>[])[1].shape = [1, 1, 1, 1, 2]),
        code: 'INVALID_MESSAGE',
        mentions: '"shape"',
      },
      {
        label: 'a shape over 16 KiB',
        mutate: (m) => ((m.items as Record<string, unknown>[])[1].shape = [4097]),
        code: 'INVALID_MESSAGE',
        mentions: '"shape"',
      },
      {
        label: 'non-base64 data',
        mutate: (m) => ((m.items as Record<string, unknown>[])[1].data = 'AAAA AAAAAA='),
        code: 'INVALID_MESSAGE',
        mentions: '"data"',
      },
      {
        label: 'an item that is a number',
        mutate: (m) => (m.items = [1]),
        code: 'INVALID_MESSAGE',
        mentions: 'items[0]',
      },
    ],
  });

  it('returns the tensor bytes of an item', () => {
    expect(Buffer.from(sampleBytes(parseFieldSamples(fieldSamplesCodec.encode(samples)).items[0]))).toEqual(
      image,
    );
  });

  it('holds 16 Fashion-MNIST-sized items within its payload limit', () => {
    const full = { ...samples, items: Array(16).fill(samples.items[0]) };
    expect(fieldSamplesCodec.encode(full).length).toBeLessThanOrEqual(MAX_SAMPLES_PAYLOAD);
  });

  it('refuses a payload over its limit before parsing it', () => {
    const big = Buffer.alloc(MAX_SAMPLES_PAYLOAD + 1, 0x20);
    expect(protocolErrorOf(() => parseFieldSamples(big)).code).toBe('TOO_LARGE');
  });
});
