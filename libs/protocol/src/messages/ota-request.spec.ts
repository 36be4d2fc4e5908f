import { runCodecSuite } from '../testing/json-codec-suite';
import { OtaChunkRequest, otaChunkRequestCodec, parseOtaChunkRequest } from './ota-request';

const request: OtaChunkRequest = { v: 1, session: 7, offset: 8192, length: 4096 };

describe(parseOtaChunkRequest.name, () => {
  runCodecSuite({
    codec: otaChunkRequestCodec,
    valid: [
      request,
      { ...request, offset: 0, length: 1 },
      { ...request, session: 0xffffffff, length: 65536 },
    ],
    required: Object.keys(request),
    bad: [
      { label: 'length 0', mutate: (m) => (m.length = 0), code: 'INVALID_MESSAGE', mentions: '"length"' },
      {
        label: 'length above the chunk limit',
        mutate: (m) => (m.length = 65537),
        code: 'INVALID_MESSAGE',
        mentions: '"length"',
      },
      {
        label: 'a negative offset',
        mutate: (m) => (m.offset = -4096),
        code: 'INVALID_MESSAGE',
        mentions: '"offset"',
      },
      {
        label: 'a fractional offset',
        mutate: (m) => (m.offset = 1.5),
        code: 'INVALID_MESSAGE',
        mentions: '"offset"',
      },
      {
        label: 'an offset past u32',
        mutate: (m) => (m.offset = 2 ** 32),
        code: 'INVALID_MESSAGE',
        mentions: '"offset"',
      },
    ],
  });
});
