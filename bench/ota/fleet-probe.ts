// Watches every agent of a simulated fleet during one deployment: when each phase happened
// (from the devices' side), how many results of each outcome, and the agents' socket bytes.
import type { DeviceAgent, DeviceAgentEvents, FleetSimulator } from '@fleetprune/devices';

/** Milliseconds after the deployment was requested; undefined when it never happened. */
export interface OtaPhases {
  /** POST /api/deployments answered. */
  created?: number;
  firstOffer?: number;
  lastOffer?: number;
  firstRequest?: number;
  lastChunk?: number;
  lastResult?: number;
  allActivated?: number;
  /** Per device, offer received to `activated` sent: median and 95th percentile. */
  deviceP50?: number;
  deviceP95?: number;
}

export interface ProbeCounts {
  activated: number;
  refused: number;
  failed: number;
  rolledBack: number;
  retryRounds: number;
  disconnects: number;
  chunksRejected: number;
}

/** Bytes read plus written by every agent's current MQTT socket. */
export function fleetSocketBytes(agents: readonly DeviceAgent[]): number {
  return agents.reduce((sum, a) => sum + a.socketBytes.read + a.socketBytes.written, 0);
}

/** Attach before the deployment is requested; `done` resolves when every agent activated `artifactId`. */
export class FleetProbe {
  readonly phases: OtaPhases = {};
  private readonly offeredAt = new Map<string, number>();
  private readonly durations: number[] = [];
  private activated = 0;
  private readonly results = { refused: 0, failed: 0, rolledBack: 0 };
  private readonly base: { retry: number; disconnects: number; rejected: number };
  private t0 = 0;
  private readonly detachers: (() => void)[] = [];
  private finished!: () => void;
  readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly fleet: FleetSimulator,
    private readonly artifactId: string,
  ) {
    this.base = this.totals();
    for (const agent of fleet.agents) this.watch(agent);
  }

  /** Starts the clock (call right before POST /api/deployments). */
  start(): void {
    this.t0 = performance.now();
  }

  /** Marks the moment POST /api/deployments answered. */
  created(): void {
    this.phases.created = this.elapsed();
  }

  counts(): ProbeCounts {
    const now = this.totals();
    return {
      activated: this.activated,
      ...this.results,
      retryRounds: now.retry - this.base.retry,
      disconnects: now.disconnects - this.base.disconnects,
      chunksRejected: now.rejected - this.base.rejected,
    };
  }

  /** Removes the probe's listeners from every agent (a later pass gets its own probe). */
  detach(): void {
    for (const undo of this.detachers) undo();
    this.detachers.length = 0;
  }

  private watch(agent: DeviceAgent): void {
    const id = agent.deviceId;
    const listen = <K extends keyof DeviceAgentEvents & string>(
      event: K,
      listener: (payload: DeviceAgentEvents[K]) => void,
    ): void => {
      agent.events.on(event, listener);
      this.detachers.push(() => agent.events.off(event, listener));
    };
    listen('offer', (offer) => {
      if (offer.artifactId !== this.artifactId || this.offeredAt.has(id)) return;
      const t = this.elapsed();
      this.offeredAt.set(id, t);
      this.phases.firstOffer ??= t;
      this.phases.lastOffer = t;
    });
    listen('request', () => {
      this.phases.firstRequest ??= this.elapsed();
    });
    listen('chunk', (c) => {
      if (c.accepted) this.phases.lastChunk = this.elapsed();
    });
    listen('result', (r) => {
      if (r.artifactId !== this.artifactId) return;
      const t = this.elapsed();
      this.phases.lastResult = t;
      if (r.outcome === 'refused') this.results.refused++;
      else if (r.outcome === 'failed') this.results.failed++;
      else if (r.outcome === 'rolled_back') this.results.rolledBack++;
      else this.onActivated(id, t);
    });
  }

  private onActivated(id: string, t: number): void {
    this.activated++;
    const offered = this.offeredAt.get(id);
    if (offered !== undefined) this.durations.push(t - offered);
    if (this.activated !== this.fleet.agents.length) return;
    this.phases.allActivated = t;
    const sorted = [...this.durations].sort((a, b) => a - b);
    this.phases.deviceP50 = sorted[Math.floor(sorted.length * 0.5)];
    this.phases.deviceP95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
    this.finished();
  }

  private elapsed(): number {
    return performance.now() - this.t0;
  }

  private totals(): { retry: number; disconnects: number; rejected: number } {
    let retry = 0;
    let disconnects = 0;
    let rejected = 0;
    for (const a of this.fleet.agents) {
      retry += a.counters.retryRounds;
      disconnects += a.counters.disconnects;
      rejected += Object.values(a.counters.chunksRejected).reduce((s, n) => s + n, 0);
    }
    return { retry, disconnects, rejected };
  }
}
