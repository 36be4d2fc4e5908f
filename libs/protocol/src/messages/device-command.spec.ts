import { runCodecSuite } from '../testing/json-codec-suite';
import { DeviceCommand, deviceCommandCodec, parseDeviceCommand } from './device-command';

const commands: DeviceCommand[] = [
  { v: 1, id: 'c1', type: 'cancel-ota', session: 77 },
  { v: 1, id: 'c2', type: 'report-status' },
  { v: 1, id: 'c3', type: 'rollback' },
  { v: 1, id: 'c4', type: 'set-telemetry', intervalS: 60 },
  { v: 1, id: 'c5', type: 'upload-samples', max: 16, misclassifiedOnly: true },
];

describe(parseDeviceCommand.name, () => {
  runCodecSuite({
    codec: deviceCommandCodec,
    valid: commands,
    required: ['v', 'id', 'type', 'session'],
    bad: [
      {
        label: 'an unknown type',
        mutate: (m) => (m.type = 'format-flash'),
        code: 'INVALID_MESSAGE',
        mentions: '"type"',
      },
      {
        label: 'set-telemetry without interval',
        mutate: (m) => (m.type = 'set-telemetry'),
        code: 'INVALID_MESSAGE',
        mentions: '"intervalS"',
      },
      {
        label: 'upload-samples of 17',
        mutate: (m) => Object.assign(m, { type: 'upload-samples', max: 17, misclassifiedOnly: false }),
        code: 'INVALID_MESSAGE',
        mentions: '"max"',
      },
      {
        label: 'upload-samples with a string flag',
        mutate: (m) => Object.assign(m, { type: 'upload-samples', max: 1, misclassifiedOnly: 'yes' }),
        code: 'INVALID_MESSAGE',
        mentions: '"misclassifiedOnly"',
      },
    ],
  });

  it('drops fields that belong to another command type', () => {
    const parsed = parseDeviceCommand(Buffer.from('{"v":1,"id":"c","type":"rollback","session":5}'));
    expect(parsed).toEqual({ v: 1, id: 'c', type: 'rollback' });
  });
});
