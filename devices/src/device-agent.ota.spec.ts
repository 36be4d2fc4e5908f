import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, sha256Hex, SigningKeyPair } from '@fleetprune/protocol';
import { builtinDeviceProfile, DeviceProfileSpec } from '@fleetprune/tflite';
import { DeviceAgentInit } from './agent-types';
import { DeviceAgent } from './device-agent';
import { ModelCache } from './model-cache';
import { OtaResponder } from './testing/ota-responder';
import { startTestBroker, TestBroker } from './testing/test-broker';

const TESTDATA = join(__dirname, '../../../shared/testdata/tflite');
const PERSON = readFileSync(join(TESTDATA, 'person_detect.tflite'));
const HELLO = readFileSync(join(TESTDATA, 'hello_world_int8.tflite'));
const PERSON_OPS = ['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX'];
const ESP32 = builtinDeviceProfile('esp32') as DeviceProfileSpec;

describe(DeviceAgent.name, () => {
  let broker: TestBroker;
  let server: OtaResponder;
  let keys: SigningKeyPair;
  let stateDir: string;
  const agents: DeviceAgent[] = [];
  const cache = new ModelCache();

  beforeAll(async () => {
    broker = await startTestBroker();
    server = await OtaResponder.start(broker.url);
    keys = generateSigningKey();
    stateDir = mkdtempSync(join(tmpdir(), 'fleetprune-agent-'));
  });

  afterEach(async () => {
    server.tamper = (frame) => frame;
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  afterAll(async () => {
    await server.close();
    await broker.close();
    rmSync(stateDir, { recursive: true, force: true });
    expect(broker.denied).toEqual([]);
  });

  function agent(deviceId: string, extra: Partial<DeviceAgentInit> = {}): DeviceAgent {
    const a = new DeviceAgent({
      mqttUrl: broker.url,
      deviceId,
      password: 'secret',
      profile: ESP32,
      stateDir,
      publicKeyPem: keys.publicKeyPem,
      inferenceIntervalMs: 0,
      telemetryIntervalMs: 0,
      modelCache: cache,
      reconnectPeriodMs: 50,
      ...extra,
    });
    agents.push(a);
    return a;
  }

  /** Activates hello_world on a fresh agent: the "old model" of the failure specs. */
  async function agentWithModel(
    deviceId: string,
    extra: Partial<DeviceAgentInit> = {},
  ): Promise<DeviceAgent> {
    const a = agent(deviceId, extra);
    await a.start();
    const activated = a.events.waitFor('activated');
    await server.offer(deviceId, HELLO, keys.privateKeyPem, { ops: ['FULLY_CONNECTED'] });
    await activated;
    return a;
  }

  it('downloads into slot a, verifies, activates and republishes status', async () => {
    const a = agent('dev-full');
    await a.start();
    const result = a.events.waitFor('result');
    const offer = await server.offer('dev-full', PERSON, keys.privateKeyPem, {
      ops: PERSON_OPS,
      chunkSize: 4096,
    });
    expect(await result).toMatchObject({
      outcome: 'activated',
      session: offer.session,
      activeArtifactId: offer.artifactId,
    });
    expect(readFileSync(join(stateDir, 'dev-full', 'slot-a.tflite')).equals(PERSON)).toBe(true);
    expect(JSON.parse(readFileSync(join(stateDir, 'dev-full', 'active.json'), 'utf8'))).toMatchObject({
      active: 'a',
    });
    expect(existsSync(join(stateDir, 'dev-full', 'download.json'))).toBe(false);
    const phases = () =>
      server.progress.filter((p) => p.deviceId === 'dev-full').map((p) => p.progress.phase);
    await eventually(() => phases().length === 3);
    expect(phases()).toEqual(['downloading', 'verifying', 'activating']);
    await eventually(() =>
      server.statuses.some(
        (s) => s.deviceId === 'dev-full' && s.status.activeArtifactId === offer.artifactId,
      ),
    );
    // Every chunk fetched once: 74 chunks of 4 KB, no re-requests on a clean link.
    expect(server.served.filter((s) => s.deviceId === 'dev-full')).toHaveLength(
      Math.ceil(PERSON.length / 4096),
    );
    expect(a.inferOnce()?.predicted).toBeGreaterThanOrEqual(0);

    // The retained offer comes back after a reconnect: answered at once, nothing downloaded.
    const again = a.events.waitFor('result', (r) => r.session === offer.session);
    const before = server.servedBytes;
    a.simulateDisconnect();
    expect(await again).toMatchObject({ outcome: 'activated' });
    expect(server.servedBytes).toBe(before);
  });

  it('resumes after a forced disconnect, re-fetching only what was in flight', async () => {
    const a = agent('dev-drop');
    await a.start();
    let accepted = 0;
    a.events.on('chunk', (c) => {
      if (c.accepted && ++accepted === 20) a.simulateDisconnect();
    });
    const result = a.events.waitFor('result');
    await server.offer('dev-drop', PERSON, keys.privateKeyPem, { ops: PERSON_OPS, chunkSize: 4096 });
    expect(await result).toMatchObject({ outcome: 'activated' });
    expect(a.counters.connects).toBe(2);
    const refetched = bytesServedTo('dev-drop') - PERSON.length;
    expect(refetched).toBeLessThan(PERSON.length);
    // Only chunks in flight at the drop (window 2 for an esp32) are fetched again; one may come
    // twice, as mqtt.js also resends an unacknowledged QoS 1 request after the reconnect.
    expect(refetched).toBeLessThanOrEqual(2 * 2 * 4096);
    expect(refetched - a.counters.chunksRejected.duplicate * 4096).toBeLessThanOrEqual(2 * 4096);
  });

  it('re-requests a corrupted chunk at once, without waiting for the timeout', async () => {
    const a = agent('dev-crc', { requestTimeoutMs: 5000 });
    await a.start();
    let corrupted = false;
    server.tamper = (frame, _id, offset) => {
      if (offset !== 8192 || corrupted) return frame;
      corrupted = true;
      const bad = Buffer.from(frame);
      bad[100] ^= 0xff;
      return bad;
    };
    const started = Date.now();
    const result = a.events.waitFor('result');
    await server.offer('dev-crc', PERSON, keys.privateKeyPem, { ops: PERSON_OPS, chunkSize: 4096 });
    expect(await result).toMatchObject({ outcome: 'activated' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(a.counters.chunksRejected.corrupt).toBe(1);
    expect(a.counters.retryRounds).toBe(0);
    expect(server.served.filter((s) => s.deviceId === 'dev-crc' && s.offset === 8192)).toHaveLength(2);
  });

  it('fails a wrong SHA-256 or signature, erases the slot, and keeps the old model answering', async () => {
    const a = await agentWithModel('dev-verify');
    const old = a.state.activeArtifactId;
    const other = generateSigningKey();
    const cases = [
      {
        overrides: { sha256: sha256Hex(HELLO), artifactId: 'art-bad-hash' },
        key: keys,
        reason: 'HASH_MISMATCH',
      },
      { overrides: { artifactId: 'art-bad-sig' }, key: other, reason: 'SIGNATURE_INVALID' },
    ];
    for (const c of cases) {
      const result = a.events.waitFor('result', (r) => r.artifactId === c.overrides.artifactId);
      await server.offer('dev-verify', PERSON, c.key.privateKeyPem, { ops: PERSON_OPS, ...c.overrides });
      expect(await result).toMatchObject({ outcome: 'failed', reason: c.reason, activeArtifactId: old });
      expect(a.state.activeArtifactId).toBe(old);
      expect(existsSync(join(stateDir, 'dev-verify', 'slot-b.tflite'))).toBe(false);
      const inferences = a.counters.inferences;
      expect(a.inferOnce()).toBeDefined();
      expect(a.counters.inferences).toBe(inferences + 1);
    }
    expect(JSON.parse(readFileSync(join(stateDir, 'dev-verify', 'active.json'), 'utf8')).active).toBe('a');
  });

  it('rolls back when a correctly signed artifact is not a loadable model', async () => {
    const a = await agentWithModel('dev-rollback');
    const garbage = Buffer.alloc(5000, 7);
    const result = a.events.waitFor('result', (r) => r.outcome !== 'activated');
    await server.offer('dev-rollback', garbage, keys.privateKeyPem, { artifactId: 'art-garbage' });
    expect(await result).toMatchObject({ outcome: 'rolled_back', reason: 'ACTIVATION_FAILED' });
    expect(a.state).toMatchObject({
      activeSlot: 'a',
      activeArtifactId: `art-${sha256Hex(HELLO).slice(0, 12)}`,
    });
    expect(JSON.parse(readFileSync(join(stateDir, 'dev-rollback', 'active.json'), 'utf8')).active).toBe('a');
  });

  it('refuses what the profile cannot hold before writing anything', async () => {
    const small: DeviceProfileSpec = { ...ESP32, name: 'esp32-small', flashBytes: 100_000 };
    const a = agent('dev-refuse', { profile: small });
    await a.start();
    const cases = [
      { overrides: { ops: PERSON_OPS }, reason: 'TOO_LARGE' },
      {
        overrides: { ops: PERSON_OPS, size: 1000, arenaBytes: ESP32.ramBytes + 1 },
        reason: 'ARENA_TOO_SMALL',
      },
      { overrides: { ops: ['LSTM'], size: 1000 }, reason: 'UNSUPPORTED_OPS' },
      { overrides: { ops: [], size: 1000, chunkSize: 32768 }, reason: 'TOO_LARGE' },
    ];
    for (const [i, c] of cases.entries()) {
      const result = a.events.waitFor('result', (r) => r.artifactId === `art-refuse-${i}`);
      await server.offer('dev-refuse', PERSON, keys.privateKeyPem, {
        ...c.overrides,
        artifactId: `art-refuse-${i}`,
      });
      const r = await result;
      expect(r).toMatchObject({ outcome: 'refused', reason: c.reason });
      expect(r.detail).toBeTruthy();
    }
    // An algorithm v1 does not know is refused, not dropped as malformed.
    const unknown = a.events.waitFor('result', (r) => r.artifactId === 'art-alg');
    const offer = server.buildOffer(HELLO, keys.privateKeyPem, { artifactId: 'art-alg', ops: [] });
    await server.raw(
      'dev-refuse',
      'ota/offer',
      Buffer.from(JSON.stringify({ ...offer, signatureAlg: 'ed25519' })),
    );
    expect(await unknown).toMatchObject({ outcome: 'refused', reason: 'UNSUPPORTED_ALGORITHM' });
    expect(server.served.filter((s) => s.deviceId === 'dev-refuse')).toEqual([]);
    expect(existsSync(join(stateDir, 'dev-refuse'))).toBe(false);
  });

  it('resumes from the persisted prefix after a restart mid-download', async () => {
    const first = agent('dev-reboot', { persistEveryBytes: 4096 });
    await first.start();
    let accepted = 0;
    const halfway = new Promise<void>((resolve) =>
      first.events.on('chunk', (c) => {
        if (c.accepted && ++accepted === 30) resolve();
      }),
    );
    server.tamper = (frame) => (accepted >= 30 ? null : frame); // the power cut: nothing more arrives
    const offer = await server.offer('dev-reboot', PERSON, keys.privateKeyPem, {
      ops: PERSON_OPS,
      chunkSize: 4096,
    });
    await halfway;
    await first.stop({ abrupt: true });
    const record = JSON.parse(readFileSync(join(stateDir, 'dev-reboot', 'download.json'), 'utf8'));
    expect(record).toMatchObject({ session: offer.session, slot: 'a' });
    // Every accepted chunk was persisted (persistEveryBytes = one chunk); a few were in flight.
    expect(record.prefixBytes % 4096).toBe(0);
    expect(record.prefixBytes).toBeGreaterThanOrEqual(30 * 4096);

    server.tamper = (frame) => frame;
    const servedBefore = server.served.length;
    const second = agent('dev-reboot', { persistEveryBytes: 4096 });
    const result = second.events.waitFor('result');
    await second.start();
    expect(await result).toMatchObject({ outcome: 'activated', session: offer.session });
    const after = server.served.slice(servedBefore).filter((s) => s.deviceId === 'dev-reboot');
    expect(Math.min(...after.map((s) => s.offset))).toBeGreaterThanOrEqual(record.prefixBytes);
    expect(readFileSync(join(stateDir, 'dev-reboot', 'slot-a.tflite')).equals(PERSON)).toBe(true);
  });

  it('keeps the stored chunks when the same artifact is offered again under a new session', async () => {
    const a = agent('dev-reoffer');
    await a.start();
    let accepted = 0;
    const halfway = new Promise<void>((resolve) =>
      a.events.on('chunk', (c) => {
        if (c.accepted && ++accepted === 30) resolve();
      }),
    );
    server.tamper = (frame) => (accepted >= 30 ? null : frame); // the first offer stalls
    const options = { ops: PERSON_OPS, chunkSize: 4096 };
    const first = await server.offer('dev-reoffer', PERSON, keys.privateKeyPem, options);
    await halfway;
    server.tamper = (frame) => frame;
    const servedBefore = server.served.length;
    const result = a.events.waitFor('result');
    const second = await server.offer('dev-reoffer', PERSON, keys.privateKeyPem, options);
    expect(second.session).not.toBe(first.session);
    expect(await result).toMatchObject({ outcome: 'activated', session: second.session });
    const after = server.served.slice(servedBefore).filter((s) => s.deviceId === 'dev-reoffer');
    expect(Math.min(...after.map((s) => s.offset))).toBeGreaterThanOrEqual(30 * 4096);
    expect(readFileSync(join(stateDir, 'dev-reoffer', 'slot-a.tflite')).equals(PERSON)).toBe(true);
  });

  it('cancels on a withdrawn offer or cancel-ota, keeping the active model', async () => {
    const a = await agentWithModel('dev-cancel');
    const old = a.state.activeArtifactId;
    server.tamper = () => null; // the download stalls
    for (const how of ['withdraw', 'command'] as const) {
      const artifactId = `art-cancel-${how}`;
      const requested = a.events.waitFor('request');
      const offer = await server.offer('dev-cancel', PERSON, keys.privateKeyPem, {
        ops: PERSON_OPS,
        artifactId,
      });
      await requested;
      expect(a.state).toMatchObject({ downloading: true, otaSession: offer.session });
      const result = a.events.waitFor('result', (r) => r.artifactId === artifactId);
      if (how === 'withdraw') await server.withdraw('dev-cancel');
      else await server.command('dev-cancel', { v: 1, id: 'c1', type: 'cancel-ota', session: offer.session });
      expect(await result).toMatchObject({ outcome: 'failed', reason: 'CANCELLED', activeArtifactId: old });
      expect(a.state).toMatchObject({ downloading: false, activeArtifactId: old });
      expect(readdirSync(join(stateDir, 'dev-cancel')).sort()).toEqual(['active.json', 'slot-a.tflite']);
    }
  });

  it('gives up with TIMEOUT after the silent rounds, doubling the wait', async () => {
    const a = agent('dev-timeout', { requestTimeoutMs: 20, maxRequestTimeoutMs: 80, maxSilentRounds: 4 });
    await a.start();
    server.tamper = () => null;
    const started = Date.now();
    const result = a.events.waitFor('result');
    await server.offer('dev-timeout', HELLO, keys.privateKeyPem, { ops: [] });
    expect(await result).toMatchObject({ outcome: 'failed', reason: 'TIMEOUT' });
    // Rounds wait 20, 40, 80, 80 ms; three of them re-request.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(a.counters.retryRounds).toBe(3);
  });

  it('counts and drops bad messages without crashing', async () => {
    const a = await agentWithModel('dev-bad');
    const bad = [
      ['ota/offer', Buffer.from('{not json')],
      ['ota/offer', Buffer.from(JSON.stringify({ v: 2 }))],
      ['cmd', Buffer.from(JSON.stringify({ v: 1, id: 'x', type: 'format-disk' }))],
      ['ota/chunk', Buffer.from('FP garbage')],
    ] as const;
    for (const [channel, payload] of bad) await server.raw('dev-bad', channel, payload);
    await eventually(() => a.counters.badMessages + a.counters.chunksIgnored === bad.length);
    expect(a.counters.internalErrors).toBe(0);
    expect(a.state.connected).toBe(true);
    expect(a.inferOnce()).toBeDefined();
  });

  function bytesServedTo(deviceId: string): number {
    return server.served.filter((s) => s.deviceId === deviceId).reduce((n, s) => n + s.length, 0);
  }
});

async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
