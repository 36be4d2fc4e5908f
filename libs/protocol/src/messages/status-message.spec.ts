import { deviceTopic } from '../topics';
import { runCodecSuite } from '../testing/json-codec-suite';
import { StatusMessage, parseStatus, statusCodec, statusWill } from './status-message';

const online: StatusMessage = {
  v: 1,
  state: 'online',
  ts: 1_764_000_000_000,
  profile: 'esp32-s3',
  firmware: 'fleetprune-esp32 0.1.0',
  activeArtifactId: 'art-1',
  activeModelVersion: '1.0',
  otaSession: 12,
  freeHeapBytes: 180_000,
  uptimeS: 3600,
};

describe(parseStatus.name, () => {
  runCodecSuite({
    codec: statusCodec,
    valid: [online, { v: 1, state: 'offline' }],
    required: ['v', 'state'],
    largest: {
      ...online,
      profile: 'p'.repeat(64),
      firmware: 'f'.repeat(64),
      activeArtifactId: 'a'.repeat(64),
      activeModelVersion: 'v'.repeat(64),
      ts: 8.64e15,
      otaSession: 0xffffffff,
      freeHeapBytes: 0xffffffff,
      uptimeS: 0xffffffff,
    },
    bad: [
      {
        label: 'an unknown state',
        mutate: (m) => (m.state = 'sleeping'),
        code: 'INVALID_MESSAGE',
        mentions: '"state"',
      },
      { label: 'a negative ts', mutate: (m) => (m.ts = -1), code: 'INVALID_MESSAGE', mentions: '"ts"' },
      {
        label: 'otaSession 0',
        mutate: (m) => (m.otaSession = 0),
        code: 'INVALID_MESSAGE',
        mentions: '"otaSession"',
      },
      {
        label: 'a profile with a tab',
        mutate: (m) => (m.profile = 'a\tb'),
        code: 'INVALID_MESSAGE',
        mentions: '"profile"',
      },
    ],
  });

  it('builds the retained offline last will on the status topic', () => {
    const will = statusWill('esp-7');
    expect(will.topic).toBe(deviceTopic('esp-7', 'status'));
    expect(will.retain).toBe(true);
    expect(will.qos).toBe(1);
    expect(parseStatus(will.payload)).toEqual({ v: 1, state: 'offline' });
    expect(will.payload.toString()).toBe('{"v":1,"state":"offline"}');
  });
});
