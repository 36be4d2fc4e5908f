// The Raspberry Pi agent over the air: aedes on loopback with the device ACL and passwords,
// OtaResponder playing the fleet server, the agent rendered by renderRpiAgent and run as a child
// process of /usr/bin/python3 on a real model and real Fashion-MNIST images (Arm NN runtime).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OtaOffer,
  OtaResult,
  fieldSamplesCodec,
  generateSigningKey,
  signArtifact,
} from '@fleetprune/protocol';
import { Interpreter, readModel } from '@fleetprune/tflite';
import { RpiAgentProcess, renderRpiAgent } from '@fleetprune/firmware';
import { OtaResponder } from '../../devices/src/testing/ota-responder';
import { startTestBroker, type TestBroker } from '../../devices/src/testing/test-broker';
import { PYTHON, describeWithPython, waitFor } from '../support/firmware/rpi-agent';
import { trainRpiModels, type RpiTestModels } from '../support/firmware/rpi-models';

describeWithPython('Raspberry Pi agent (firmware-templates/rpi)', () => {
  describe('over a real broker', () => {
    let broker: TestBroker;
    let fleet: OtaResponder;
    let models: RpiTestModels;
    const keys = generateSigningKey();
    const devices = new Map<string, string>();
    const agents: RpiAgentProcess[] = [];
    const dirs: string[] = [];
    // Chunk requests answered per device before the fleet falls silent.
    let serveLimit = Infinity;

    beforeAll(async () => {
      models = await trainRpiModels();
      broker = await startTestBroker({ passwords: devices });
      fleet = await OtaResponder.start(broker.url);
      fleet.tamper = (frame, deviceId) => (served(deviceId) < serveLimit ? frame : null);
    }, 120_000);

    afterAll(async () => {
      for (const a of agents) await a.stop('SIGKILL');
      await fleet?.close();
      await broker?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    const statusOf = (id: string) => fleet.statuses.filter((s) => s.deviceId === id).map((s) => s.status);
    const telemetryOf = (id: string) => fleet.telemetry.filter((t) => t.deviceId === id).map((t) => t.window);
    // Every upload must parse with libs/protocol.
    const samplesOf = (id: string) =>
      fleet.samples.filter((s) => s.deviceId === id).map((s) => fieldSamplesCodec.parse(s.payload));
    const requested = (session: number) =>
      fleet.requests.filter((r) => r.request.session === session).map((r) => r.request.offset);
    const served = (id: string) => fleet.served.filter((s) => s.deviceId === id).length;

    async function resultFor(session: number): Promise<OtaResult> {
      const find = () => fleet.results.find((r) => r.result.session === session)?.result;
      await waitFor(`ota/result of session ${session}`, () => find() !== undefined, 30_000);
      return find()!;
    }

    /** Renders an agent for a new device and starts it with fast intervals. */
    async function renderAndStart(
      id: string,
      overrides: Record<string, unknown> = {},
    ): Promise<RpiAgentProcess> {
      const dir = mkdtempSync(join(tmpdir(), 'fleetprune-rpi-'));
      dirs.push(dir);
      devices.set(id, `secret-${id}`);
      await renderRpiAgent(
        {
          artifactId: 'art-factory',
          modelVersion: 'factory-1',
          tflite: models.factory.tflite,
          report: models.factory.report,
          mqttUrl: broker.url,
          publicKeyPem: keys.publicKeyPem,
          device: { id, password: `secret-${id}`, profile: 'rpi4' },
        },
        dir,
      );
      const agent = RpiAgentProcess.start(dir, {
        python: PYTHON,
        configOverrides: {
          intervals: { inference_ms: 10, telemetry_s: 1, status_s: 60, keepalive_s: 5 },
          runtime: 'armnn',
          ...overrides,
        },
      });
      agents.push(agent);
      return agent;
    }

    /** Offers `bytes` to device `id` (retained), signed, with the trained model's needs. */
    function offerFor(id: string, artifactId: string, bytes: Uint8Array, changes: Partial<OtaOffer> = {}) {
      return fleet.offer(id, bytes, keys.privateKeyPem, {
        deploymentId: `dep-${artifactId}`,
        artifactId,
        modelVersion: `${artifactId}-v1`,
        chunkSize: 1024,
        arenaBytes: models.trained.report.arenaBytes,
        ops: models.trained.report.ops,
        ...changes,
      });
    }

    it('comes online from a rendered folder, takes a signed model over the air and measures it', async () => {
      const id = 'pi-ota';
      const agent = await renderAndStart(id);
      await waitFor('status online with the factory model', () =>
        statusOf(id).some((s) => s.state === 'online' && s.activeArtifactId === 'art-factory'),
      );
      const offer = await offerFor(id, 'art-trained', models.trained.tflite);
      const result = await resultFor(offer.session);
      expect(result).toMatchObject({ outcome: 'activated', activeArtifactId: 'art-trained' });
      await fleet.withdraw(id);
      const chunks = Math.ceil(models.trained.tflite.length / 1024);
      expect(new Set(requested(offer.session)).size).toBe(chunks);
      expect(
        fleet.progress
          .map((p) => p.progress)
          .filter((p) => p.session === offer.session)
          .map((p) => p.phase),
      ).toEqual(['downloading', 'verifying', 'activating']);
      await waitFor('status naming the new model', () =>
        statusOf(id).some((s) => s.activeArtifactId === 'art-trained'),
      );
      // Telemetry windows of real inferences on real images: the trained model beats chance.
      await waitFor(
        'two telemetry windows of the new model',
        () => telemetryOf(id).filter((t) => t.artifactId === 'art-trained' && t.samples > 0).length >= 2,
      );
      const windows = telemetryOf(id).filter((t) => t.artifactId === 'art-trained');
      const sum = (k: 'samples' | 'labelled' | 'correct') => windows.reduce((a, w) => a + w[k], 0);
      expect(sum('labelled')).toBe(sum('samples'));
      expect(sum('correct') / sum('labelled')).toBeGreaterThan(0.4); // untrained: ~0.1
      const seqs = telemetryOf(id).map((t) => t.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(windows[0].latencyP95Ms).toBeGreaterThanOrEqual(windows[0].latencyMeanMs * 0.5);
      console.info(
        `rpi agent: ${models.trained.tflite.length} B model in ${chunks} chunks; ${sum('samples')} inferences, ` +
          `accuracy ${(sum('correct') / sum('labelled')).toFixed(3)}, latency mean ${windows[0].latencyMeanMs} ms p95 ${windows[0].latencyP95Ms} ms (Arm NN CpuRef)`,
      );

      // upload-samples: the images it saw, with predictions our own interpreter agrees with.
      await fleet.command(id, {
        v: 1,
        id: 'up-1',
        type: 'upload-samples',
        max: 16,
        misclassifiedOnly: false,
      });
      await waitFor('a samples upload', () => samplesOf(id).length === 1);
      const items = samplesOf(id)[0].items;
      expect(items).toHaveLength(16);
      const interpreter = new Interpreter(readModel(models.trained.tflite)).allocate();
      const { scale, zeroPoint } = models.trained.report.input.quantization;
      const agree = items.filter((item) => {
        const pixels = Buffer.from(item.data, 'base64');
        const record = Int8Array.from(pixels, (p) =>
          Math.max(-128, Math.min(127, Math.round(p / 255 / scale) + zeroPoint)),
        );
        interpreter.setInput(0, record);
        interpreter.invoke();
        const out = Array.from(interpreter.output(0) as Int8Array);
        return out.indexOf(Math.max(...out)) === item.predicted;
      });
      expect(agree.length).toBeGreaterThanOrEqual(14);
      expect(items.every((i) => i.label !== undefined && i.label < 10)).toBe(true);
      expect(models.testImages.count).toBe(10_000);

      // Hostile input on every topic it reads: dropped, and the agent still answers.
      for (const channel of ['cmd', 'ota/offer', 'ota/chunk'] as const)
        for (const junk of [Buffer.from('{"v":1'), Buffer.alloc(70_000, 0x7b), Buffer.from('[{"v":1}]')])
          await fleet.raw(id, channel, junk);
      const statusCount = statusOf(id).length;
      await fleet.command(id, { v: 1, id: 'rs-1', type: 'report-status' });
      await waitFor('status on report-status', () => statusOf(id).length > statusCount);

      // rollback: back to the factory model kept in the other slot, and forward again.
      await fleet.command(id, { v: 1, id: 'rb-1', type: 'rollback' });
      await waitFor('status after rollback', () => statusOf(id).at(-1)?.activeArtifactId === 'art-factory');
      await fleet.command(id, { v: 1, id: 'rb-2', type: 'rollback' });
      await waitFor(
        'status after rolling forward',
        () => statusOf(id).at(-1)?.activeArtifactId === 'art-trained',
      );

      // A bad signature: failed, the slot erased, the trained model keeps running.
      const bad = await offerFor(id, 'art-bad', models.factory.tflite, {
        signature: signArtifact(models.factory.tflite, generateSigningKey().privateKeyPem),
      });
      expect(await resultFor(bad.session)).toMatchObject({
        outcome: 'failed',
        reason: 'SIGNATURE_INVALID',
        activeArtifactId: 'art-trained',
      });
      // A model the profile cannot hold: refused before a single request.
      const big = await offerFor(id, 'art-big', models.factory.tflite, { arenaBytes: 2 ** 31 });
      expect(await resultFor(big.session)).toMatchObject({
        outcome: 'refused',
        reason: 'ARENA_TOO_SMALL',
      });
      expect(requested(big.session)).toEqual([]);
      // Signed and complete, but Arm NN aborts on per-channel dense weights: the self-test
      // (a child process) fails, the marker switches back, and the agent lives on.
      const crash = await offerFor(id, 'art-crash', models.perChannel.tflite);
      expect(await resultFor(crash.session)).toMatchObject({
        outcome: 'rolled_back',
        reason: 'ACTIVATION_FAILED',
        activeArtifactId: 'art-trained',
      });
      await waitFor(
        'status after the rollback',
        () => statusOf(id).at(-1)?.activeArtifactId === 'art-trained',
      );
      await fleet.withdraw(id);

      expect(await agent.stop('SIGTERM')).toBe(0);
      expect(statusOf(id).at(-1)?.state).toBe('offline');
      expect(broker.denied).toEqual([]);
      expect(agent.log()).not.toMatch(/Traceback/);
    }, 90_000);

    it('resumes a download after the agent is killed mid-way, requesting only what is missing', async () => {
      const id = 'pi-resume';
      let agent = await renderAndStart(id, {
        ota: { persist_every_ms: 1, max_in_flight: 2, request_timeout_ms: 500 },
      });
      await waitFor('online', () => statusOf(id).some((s) => s.state === 'online'));
      const chunks = Math.ceil(models.trained.tflite.length / 1024);
      serveLimit = 4; // answer only the first four requests, then fall silent
      const offer = await offerFor(id, 'art-trained', models.trained.tflite);
      await waitFor('four chunks served', () => served(id) === 4);
      // Kill only once the agent has recorded all four (a fixed pause lost the race under load).
      const state = join(agent.dir, 'state', 'download.json');
      const stored = () =>
        existsSync(state)
          ? [...Buffer.from(JSON.parse(readFileSync(state, 'utf8')).bitmap, 'base64')].reduce(
              (n, byte) => n + byte.toString(2).replace(/0/g, '').length,
              0,
            )
          : 0;
      await waitFor('four chunks persisted', () => stored() === 4);
      await agent.stop('SIGKILL');
      await waitFor('the last will', () => statusOf(id).at(-1)?.state === 'offline');
      const before = requested(offer.session).length;
      serveLimit = Infinity;
      agent = RpiAgentProcess.start(agent.dir);
      agents.push(agent);
      await waitFor('status with the pending otaSession', () =>
        statusOf(id).some((s) => s.state === 'online' && s.otaSession === offer.session),
      );
      expect(await resultFor(offer.session)).toMatchObject({ outcome: 'activated' });
      const after = requested(offer.session).slice(before);
      // The four stored chunks are never asked for again.
      expect(after.filter((offset) => offset < 4 * 1024)).toEqual([]);
      expect(new Set(after).size).toBe(chunks - 4);
      // Telemetry seq survives the restart (counters.json): never repeated.
      await waitFor('telemetry of the new model', () =>
        telemetryOf(id).some((t) => t.artifactId === 'art-trained'),
      );
      const seqs = telemetryOf(id).map((t) => t.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      await fleet.withdraw(id);
      expect(await agent.stop('SIGTERM')).toBe(0);
    }, 60_000);
  });
});
