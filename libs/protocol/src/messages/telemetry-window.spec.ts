import { runCodecSuite } from '../testing/json-codec-suite';
import { protocolErrorOf } from '../testing/protocol-error-code';
import { seededRandom } from '../testing/seeded-random';
import { TelemetryWindow, confidenceBin, parseTelemetry, telemetryCodec } from './telemetry-window';

const windowMsg: TelemetryWindow = {
  v: 1,
  seq: 41,
  artifactId: 'art-1',
  modelVersion: '1.0',
  windowStart: 1_764_000_000_000,
  windowEnd: 1_764_000_060_000,
  samples: 100,
  labelled: 80,
  correct: 71,
  confidenceHistogram: [0, 0, 1, 2, 3, 4, 10, 20, 25, 35],
  latencyMeanMs: 12.5,
  latencyP95Ms: 19.25,
  arenaUsedBytes: 28_112,
};

describe(parseTelemetry.name, () => {
  runCodecSuite({
    codec: telemetryCodec,
    valid: [
      windowMsg,
      {
        ...windowMsg,
        samples: 0,
        labelled: 0,
        correct: 0,
        confidenceHistogram: Array(10).fill(0),
        latencyMeanMs: 0,
        latencyP95Ms: 0,
        windowEnd: windowMsg.windowStart,
      },
    ],
    required: Object.keys(windowMsg),
    largest: {
      ...windowMsg,
      seq: 0xffffffff,
      artifactId: 'a'.repeat(64),
      modelVersion: 'v'.repeat(64),
      windowStart: 8.64e15 - 86_400_000,
      windowEnd: 8.64e15,
      samples: 1_000_000,
      labelled: 1_000_000,
      correct: 999_999,
      confidenceHistogram: [
        1, 99_999, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 200_000,
      ],
      latencyMeanMs: 1234.5678901234567,
      latencyP95Ms: 3_599_999.999999999,
      arenaUsedBytes: 0xffffffff,
    },
    bad: [
      {
        label: 'correct above labelled',
        mutate: (m) => (m.correct = 81),
        code: 'INVALID_MESSAGE',
        mentions: '"correct"',
      },
      {
        label: 'labelled above samples',
        mutate: (m) => (m.labelled = 101),
        code: 'INVALID_MESSAGE',
        mentions: '"labelled"',
      },
      {
        label: 'a histogram not summing to samples',
        mutate: (m) => (m.samples = 99),
        code: 'INVALID_MESSAGE',
        mentions: '"confidenceHistogram"',
      },
      {
        label: 'a histogram of 9 bins',
        mutate: (m) => (m.confidenceHistogram = Array(9).fill(0)),
        code: 'INVALID_MESSAGE',
        mentions: '"confidenceHistogram"',
      },
      {
        label: 'a negative bin',
        mutate: (m) => (m.confidenceHistogram = [-1, 0, 1, 2, 3, 4, 10, 20, 25, 36]),
        code: 'INVALID_MESSAGE',
        mentions: 'confidenceHistogram[0]',
      },
      {
        label: 'a window ending before it starts',
        mutate: (m) => (m.windowEnd = 1_763_999_999_999),
        code: 'INVALID_MESSAGE',
        mentions: '"windowEnd"',
      },
      {
        label: 'a window over one day',
        mutate: (m) => (m.windowEnd = 1_764_086_400_001),
        code: 'INVALID_MESSAGE',
        mentions: '"windowEnd"',
      },
      {
        label: 'a negative latency',
        mutate: (m) => (m.latencyP95Ms = -0.5),
        code: 'INVALID_MESSAGE',
        mentions: '"latencyP95Ms"',
      },
      {
        label: 'a latency over an hour',
        mutate: (m) => (m.latencyMeanMs = 3_600_001),
        code: 'INVALID_MESSAGE',
        mentions: '"latencyMeanMs"',
      },
      {
        label: 'more than a million samples',
        mutate: (m) => (m.samples = 1_000_001),
        code: 'INVALID_MESSAGE',
        mentions: '"samples"',
      },
    ],
  });

  it('parses exactly as the field-by-field reader does, on valid and on broken windows', () => {
    // parse takes a quick path for valid windows; validate always reads field by field.
    const rand = seededRandom(6);
    const values: unknown[] = [
      -1,
      0,
      1,
      2.5,
      1e20,
      -0,
      'x',
      '',
      null,
      true,
      [],
      {},
      'a'.repeat(65),
      'é',
      2 ** 32,
    ];
    const fields = Object.keys(windowMsg);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const m: Record<string, unknown> = {
        ...windowMsg,
        confidenceHistogram: [...windowMsg.confidenceHistogram],
      };
      for (let k = 0; k < 1 + Math.floor(rand() * 2); k++) {
        const field = fields[Math.floor(rand() * fields.length)];
        const r = rand();
        if (r < 0.1) delete m[field];
        else if (r < 0.55) m[field] = values[Math.floor(rand() * values.length)];
        else if (typeof m[field] === 'number') m[field] = (m[field] as number) + Math.floor(rand() * 5) - 2;
        else if (Array.isArray(m.confidenceHistogram))
          (m.confidenceHistogram as number[])[Math.floor(rand() * 10)] += Math.floor(rand() * 3) - 1;
      }
      const payload = Buffer.from(JSON.stringify(m));
      const quick = protocolErrorOf(() => parseTelemetry(payload));
      const reader = protocolErrorOf(() => telemetryCodec.validate(JSON.parse(payload.toString())));
      expect(quick).toEqual(reader);
      if (quick.code === 'no error') {
        accepted++;
        expect(parseTelemetry(payload)).toEqual(telemetryCodec.validate(JSON.parse(payload.toString())));
      }
    }
    // Both outcomes were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2900);
  });

  it.each([
    [0, 0],
    [0.0999, 0],
    [0.1, 1],
    [0.95, 9],
    [1, 9],
    [-0.2, 0],
    [Number.NaN, 0],
  ])('puts confidence %d in bin %d', (confidence, bin) => {
    expect(confidenceBin(confidence)).toBe(bin);
  });
});
