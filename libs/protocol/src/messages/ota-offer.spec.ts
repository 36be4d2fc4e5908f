import { MAX_MODEL_SIZE } from '../limits';
import { runCodecSuite } from '../testing/json-codec-suite';
import { OtaOffer, isOfferWithdrawal, otaOfferCodec, parseOtaOffer } from './ota-offer';

const offer: OtaOffer = {
  v: 1,
  deploymentId: 'dep-1',
  session: 0xdeadbeef,
  artifactId: 'art_01.x',
  modelVersion: 'fmnist-3.2',
  size: 102_400,
  sha256: 'a'.repeat(64),
  signature: Buffer.alloc(64, 7).toString('base64'),
  signatureAlg: 'ecdsa-p256-sha256',
  chunkSize: 4096,
  arenaBytes: 30_000,
  ops: ['CONV_2D', 'FULLY_CONNECTED', 'SOFTMAX'],
};

describe(parseOtaOffer.name, () => {
  runCodecSuite({
    codec: otaOfferCodec,
    valid: [offer, { ...offer, ops: [], arenaBytes: 0, size: 1, chunkSize: 256 }],
    required: Object.keys(offer),
    largest: {
      ...offer,
      deploymentId: 'd'.repeat(64),
      artifactId: 'a'.repeat(64),
      modelVersion: 'v'.repeat(64),
      session: 0xffffffff,
      size: MAX_MODEL_SIZE,
      signature: Buffer.alloc(192, 0xff).toString('base64'),
      chunkSize: 65536,
      arenaBytes: 0xffffffff,
      ops: Array.from({ length: 64 }, (_, i) => `OP_${i}`.padEnd(40, 'X')),
    },
    bad: [
      { label: 'size 0', mutate: (m) => (m.size = 0), code: 'INVALID_MESSAGE', mentions: '"size"' },
      {
        label: 'size above the model limit',
        mutate: (m) => (m.size = MAX_MODEL_SIZE + 1),
        code: 'TOO_LARGE',
        mentions: '"size"',
      },
      { label: 'session 0', mutate: (m) => (m.session = 0), code: 'INVALID_MESSAGE', mentions: '"session"' },
      {
        label: 'session above u32',
        mutate: (m) => (m.session = 2 ** 32),
        code: 'INVALID_MESSAGE',
        mentions: '"session"',
      },
      {
        label: 'upper-case sha256',
        mutate: (m) => (m.sha256 = 'A'.repeat(64)),
        code: 'INVALID_MESSAGE',
        mentions: '"sha256"',
      },
      {
        label: 'short sha256',
        mutate: (m) => (m.sha256 = 'a'.repeat(63)),
        code: 'INVALID_MESSAGE',
        mentions: '"sha256"',
      },
      {
        label: 'unpadded base64 signature',
        mutate: (m) => (m.signature = 'abc'),
        code: 'INVALID_MESSAGE',
        mentions: '"signature"',
      },
      {
        label: 'unknown signature algorithm',
        mutate: (m) => (m.signatureAlg = 'rsa'),
        code: 'INVALID_MESSAGE',
        mentions: '"signatureAlg"',
      },
      {
        label: 'chunk size 255',
        mutate: (m) => (m.chunkSize = 255),
        code: 'INVALID_MESSAGE',
        mentions: '"chunkSize"',
      },
      {
        label: 'chunk size 65537',
        mutate: (m) => (m.chunkSize = 65537),
        code: 'INVALID_MESSAGE',
        mentions: '"chunkSize"',
      },
      {
        label: 'negative arena',
        mutate: (m) => (m.arenaBytes = -1),
        code: 'INVALID_MESSAGE',
        mentions: '"arenaBytes"',
      },
      {
        label: 'a lower-case op',
        mutate: (m) => (m.ops = ['conv_2d']),
        code: 'INVALID_MESSAGE',
        mentions: 'ops[0]',
      },
      {
        label: 'a numeric op',
        mutate: (m) => (m.ops = ['CONV_2D', 3]),
        code: 'INVALID_MESSAGE',
        mentions: 'ops[1]',
      },
      {
        label: '129 ops',
        mutate: (m) => (m.ops = Array(129).fill('ADD')),
        code: 'INVALID_MESSAGE',
        mentions: '"ops"',
      },
      {
        label: 'an id with a slash',
        mutate: (m) => (m.artifactId = 'a/b'),
        code: 'INVALID_MESSAGE',
        mentions: '"artifactId"',
      },
      {
        label: 'a 65-byte id',
        mutate: (m) => (m.deploymentId = 'd'.repeat(65)),
        code: 'INVALID_MESSAGE',
        mentions: '"deploymentId"',
      },
      {
        label: 'a version with a space',
        mutate: (m) => (m.modelVersion = 'v 1'),
        code: 'INVALID_MESSAGE',
        mentions: '"modelVersion"',
      },
    ],
  });

  it('treats only a zero-length payload as a withdrawal', () => {
    expect(isOfferWithdrawal(new Uint8Array(0))).toBe(true);
    expect(isOfferWithdrawal(otaOfferCodec.encode(offer))).toBe(false);
  });

  it('ignores a "__proto__" member and pollutes nothing', () => {
    const text = JSON.stringify(offer).replace('{', '{"__proto__":{"polluted":1},');
    expect(parseOtaOffer(Buffer.from(text))).toEqual(offer);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
