import { DeviceProfileSpec } from '@fleetprune/tflite';
import { DeviceAgentInit } from './agent-types';
import { DeviceAgent } from './device-agent';
import { DeviceError } from './device-error';
import { ModelCache } from './model-cache';
import { DevicePersonality, PersonalityName } from './personality';
import { SampleSource } from './sample-source';
import { ShiftSpec, validateShiftSpec } from './shift-spec';

/** One device of a simulated fleet: its credentials, and optionally its own profile. */
export interface FleetDeviceSpec {
  deviceId: string;
  password: string;
  profile?: DeviceProfileSpec;
}

/** Options of FleetSimulator; `agentOptions` reach every agent unchanged. */
export interface FleetSimulatorOptions {
  mqttUrl: string;
  publicKeyPem: string;
  devices: FleetDeviceSpec[];
  /** Profile of devices that do not name their own. */
  profile: DeviceProfileSpec;
  personality?: PersonalityName | DevicePersonality;
  stateDir: string;
  /** Shared by every agent (one copy of the dataset); each starts at its own offset. */
  samples?: SampleSource;
  /** Per agent; 0 = no inference loop (default 0: OTA-only fleets cost no inference CPU). */
  inferenceIntervalMs?: number;
  /** Per agent (default 60 000). */
  telemetryIntervalMs?: number;
  /** Connection attempts started per second (default 100), so 1,000 devices do not stampede. */
  connectsPerSecond?: number;
  /** Most connection attempts pending at once (default 50). */
  maxPendingConnects?: number;
  /** Anything else for every agent (timeouts, durable, ...). */
  agentOptions?: Partial<DeviceAgentInit>;
  /** A distribution shift of `samples` staged `atMs` after start() is called. */
  shift?: { atMs: number; spec: ShiftSpec };
  /** Called whenever a shift takes effect (scheduled or setShift), with the fleet-relative time. */
  onShift?(spec: ShiftSpec | undefined, atMs: number): void;
}

/** Fleet-wide counters, summed over agents. */
export interface FleetSummary {
  devices: number;
  connected: number;
  downloading: number;
  /** Results the devices sent, by outcome. */
  activated: number;
  refused: number;
  failed: number;
  rolledBack: number;
  /** Devices running each artifact. */
  activeByArtifact: Record<string, number>;
  telemetrySent: number;
  inferences: number;
  chunkBytes: number;
  requestsSent: number;
  badMessages: number;
  connectFailures: number;
}

/**
 * Runs many DeviceAgents in one process. What real devices would share is shared: the
 * dataset (one SampleSource) and parsed models (one ModelCache keyed by SHA-256); each agent
 * still downloads, hashes and verifies its own bytes into its own slot files.
 */
export class FleetSimulator {
  readonly agents: DeviceAgent[];
  readonly modelCache = new ModelCache();
  private connectFailures = 0;
  private stopping = false;
  private startedAt: number | undefined;
  private shiftTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: FleetSimulatorOptions) {
    const o = options;
    if (o.shift && !(o.shift.atMs >= 0))
      throw new DeviceError('BAD_OPTION', `shift.atMs must be >= 0, got ${o.shift.atMs}`);
    if (o.shift && !o.samples)
      throw new DeviceError('BAD_OPTION', 'shift needs a samples source: the shift changes its inputs');
    // Checked now, so the timer that applies it later cannot throw.
    if (o.shift && o.samples) validateShiftSpec(o.shift.spec, { classCount: o.samples.classNames.length });
    const spread = o.samples ? Math.max(1, Math.floor(o.samples.count / Math.max(1, o.devices.length))) : 0;
    this.agents = o.devices.map(
      (d, i) =>
        new DeviceAgent({
          inferenceIntervalMs: o.inferenceIntervalMs ?? 0,
          telemetryIntervalMs: o.telemetryIntervalMs ?? 60_000,
          ...o.agentOptions,
          mqttUrl: o.mqttUrl,
          deviceId: d.deviceId,
          password: d.password,
          profile: d.profile ?? o.profile,
          personality: o.personality,
          stateDir: o.stateDir,
          publicKeyPem: o.publicKeyPem,
          samples: o.samples,
          sampleOffset: i * spread,
          modelCache: this.modelCache,
        }),
    );
  }

  /**
   * Connects every agent, `connectsPerSecond` at most and `maxPendingConnects` in flight.
   * Resolves when each has connected or failed; failures are counted, not thrown.
   */
  async start(): Promise<{ connected: number; failed: { deviceId: string; error: string }[]; ms: number }> {
    const started = Date.now();
    this.startedAt ??= started;
    const shift = this.options.shift;
    if (shift && !this.shiftTimer) this.shiftTimer = setTimeout(() => this.setShift(shift.spec), shift.atMs);
    const rate = this.options.connectsPerSecond ?? 100;
    const maxPending = this.options.maxPendingConnects ?? 50;
    if (!(rate > 0)) throw new DeviceError('BAD_OPTION', `connectsPerSecond must be > 0, got ${rate}`);
    const failed: { deviceId: string; error: string }[] = [];
    const pending = new Set<Promise<void>>();
    for (const agent of this.agents) {
      if (this.stopping) break;
      while (pending.size >= maxPending) await Promise.race(pending);
      const attempt = agent.start().catch((error: Error) => {
        this.connectFailures++;
        failed.push({ deviceId: agent.deviceId, error: error.message });
      });
      const tracked = attempt.then(() => void pending.delete(tracked));
      pending.add(tracked);
      await sleep(1000 / rate);
    }
    await Promise.all(pending);
    return { connected: this.agents.length - failed.length, failed, ms: Date.now() - started };
  }

  /** Stops every agent (gracefully: last telemetry window, offline status). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.shiftTimer) clearTimeout(this.shiftTimer);
    await Promise.all(this.agents.map((a) => a.stop()));
  }

  /**
   * Shifts every agent's inputs from their next sample on (undefined: back to the plain
   * source); BAD_SHIFT when the spec does not fit the source's classes.
   */
  setShift(spec: ShiftSpec | undefined): void {
    const samples = this.options.samples;
    if (!samples) throw new DeviceError('BAD_OPTION', 'setShift needs a samples source: the fleet has none');
    samples.setShift(spec);
    this.options.onShift?.(spec, Date.now() - (this.startedAt ?? Date.now()));
  }

  summary(): FleetSummary {
    const s: FleetSummary = {
      devices: this.agents.length,
      connected: 0,
      downloading: 0,
      activated: 0,
      refused: 0,
      failed: 0,
      rolledBack: 0,
      activeByArtifact: {},
      telemetrySent: 0,
      inferences: 0,
      chunkBytes: 0,
      requestsSent: 0,
      badMessages: 0,
      connectFailures: this.connectFailures,
    };
    for (const agent of this.agents) {
      const state = agent.state;
      const c = agent.counters;
      if (state.connected) s.connected++;
      if (state.downloading) s.downloading++;
      if (state.activeArtifactId)
        s.activeByArtifact[state.activeArtifactId] = (s.activeByArtifact[state.activeArtifactId] ?? 0) + 1;
      s.activated += c.results.activated;
      s.refused += c.results.refused;
      s.failed += c.results.failed;
      s.rolledBack += c.results.rolled_back;
      s.telemetrySent += c.telemetrySent;
      s.inferences += c.inferences;
      s.chunkBytes += c.chunkBytesAccepted;
      s.requestsSent += c.requestsSent;
      s.badMessages += c.badMessages;
    }
    return s;
  }

  /** Polls summary() until `predicate` holds; rejects with TIMEOUT after `timeoutMs`. */
  async waitFor(
    predicate: (s: FleetSummary) => boolean,
    timeoutMs = 60_000,
    pollMs = 50,
  ): Promise<FleetSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.summary();
      if (predicate(s)) return s;
      if (Date.now() > deadline)
        throw new DeviceError(
          'TIMEOUT',
          `fleet did not reach the condition within ${timeoutMs} ms: ${JSON.stringify(s)}`,
        );
      await sleep(pollMs);
    }
  }
}

/** A one-line summary for logs and the CLI. */
export function formatFleetSummary(s: FleetSummary): string {
  const active = Object.entries(s.activeByArtifact)
    .map(([id, n]) => `${id}:${n}`)
    .join(' ');
  return (
    `devices ${s.devices} connected ${s.connected} downloading ${s.downloading} ` +
    `activated ${s.activated} failed ${s.failed} refused ${s.refused} rolled-back ${s.rolledBack} ` +
    `telemetry ${s.telemetrySent} inferences ${s.inferences}` +
    (active ? ` active [${active}]` : '')
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
