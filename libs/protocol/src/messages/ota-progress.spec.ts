import { runCodecSuite } from '../testing/json-codec-suite';
import { OtaProgress, otaProgressCodec, parseOtaProgress } from './ota-progress';

const progress: OtaProgress = { v: 1, session: 9, phase: 'downloading', received: 4096, total: 102_400 };

describe(parseOtaProgress.name, () => {
  runCodecSuite({
    codec: otaProgressCodec,
    valid: [progress, { ...progress, phase: 'activating', received: 102_400 }],
    required: Object.keys(progress),
    bad: [
      {
        label: 'received above total',
        mutate: (m) => (m.received = 102_401),
        code: 'INVALID_MESSAGE',
        mentions: '"received"',
      },
      {
        label: 'an unknown phase',
        mutate: (m) => (m.phase = 'done'),
        code: 'INVALID_MESSAGE',
        mentions: '"phase"',
      },
      { label: 'total 0', mutate: (m) => (m.total = 0), code: 'INVALID_MESSAGE', mentions: '"total"' },
    ],
  });
});
