import { runCodecSuite } from '../testing/json-codec-suite';
import { OtaResult, otaResultCodec, parseOtaResult } from './ota-result';

const activated: OtaResult = {
  v: 1,
  session: 3,
  deploymentId: 'dep-1',
  artifactId: 'art-2',
  outcome: 'activated',
  activeArtifactId: 'art-2',
  activeModelVersion: '2.0',
};

describe(parseOtaResult.name, () => {
  runCodecSuite({
    codec: otaResultCodec,
    valid: [
      activated,
      {
        ...activated,
        outcome: 'failed',
        reason: 'HASH_MISMATCH',
        detail: 'sha256 differs',
        activeArtifactId: 'art-1',
        activeModelVersion: '1.0',
      },
      {
        v: 1,
        session: 3,
        deploymentId: 'dep-1',
        artifactId: 'art-2',
        outcome: 'refused',
        reason: 'UNSUPPORTED_OPS',
      },
    ],
    required: ['v', 'session', 'deploymentId', 'artifactId', 'outcome'],
    largest: {
      ...activated,
      deploymentId: 'd'.repeat(64),
      artifactId: 'a'.repeat(64),
      outcome: 'rolled_back',
      reason: 'UNSUPPORTED_ALGORITHM',
      detail: '\u20ac'.repeat(85),
      activeArtifactId: 'b'.repeat(64),
      activeModelVersion: 'v'.repeat(64),
    },
    bad: [
      {
        label: 'a failure without a reason',
        mutate: (m) => (m.outcome = 'failed'),
        code: 'INVALID_MESSAGE',
        mentions: '"reason"',
      },
      {
        label: 'an activation with a reason',
        mutate: (m) => (m.reason = 'TIMEOUT'),
        code: 'INVALID_MESSAGE',
        mentions: '"reason"',
      },
      {
        label: 'an unknown reason',
        mutate: (m) => ((m.outcome = 'failed'), (m.reason = 'OOPS')),
        code: 'INVALID_MESSAGE',
        mentions: '"reason"',
      },
      {
        label: 'an unknown outcome',
        mutate: (m) => (m.outcome = 'ok'),
        code: 'INVALID_MESSAGE',
        mentions: '"outcome"',
      },
      {
        label: 'a 257-byte detail',
        mutate: (m) => (m.detail = 'x'.repeat(257)),
        code: 'INVALID_MESSAGE',
        mentions: '"detail"',
      },
      {
        label: 'a detail of 86 three-byte characters (258 bytes)',
        mutate: (m) => (m.detail = '\u20ac'.repeat(86)),
        code: 'INVALID_MESSAGE',
        mentions: '"detail"',
      },
      {
        label: 'a detail with a newline',
        mutate: (m) => (m.detail = 'a\nb'),
        code: 'INVALID_MESSAGE',
        mentions: '"detail"',
      },
    ],
  });
});
