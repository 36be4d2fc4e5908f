/** What a live view is told: which kind of thing changed, and which ones (null: refetch all). */
export interface LiveUpdate {
  topic: LiveTopic;
  ids: string[] | null;
}

/**
 * devices: presence, active model, registration and edits; deployments: OTA sessions and
 * rollouts; jobs: pruning jobs; models: uploaded models and artifacts; events: the audit
 * trail; telemetry: stored windows (ids are device ids).
 */
export const LIVE_TOPICS = ['devices', 'deployments', 'jobs', 'models', 'events', 'telemetry'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** Timing of `TopicCoalescer`; defaults in `COALESCER_DEFAULTS`. */
export interface CoalescerOptions {
  /** Least time between two messages of one topic. */
  intervalMs: number;
  /** Wait after the first change of a quiet topic, so a burst goes out as one message. */
  settleMs: number;
  /** More changed ids than this in one message are sent as "refetch all" (ids: null). */
  maxIds: number;
}

export const COALESCER_DEFAULTS: CoalescerOptions = { intervalMs: 500, settleMs: 150, maxIds: 100 };

interface Pending {
  ids: Set<string>;
  /** Something changed that has no id: the message says "refetch all". */
  all: boolean;
  timer: NodeJS.Timeout;
}

/**
 * Turns a stream of per-item changes into at most one message per topic per `intervalMs`,
 * naming the items that changed: a thousand devices reporting at once reach a browser as a
 * couple of "devices changed" messages, and it refetches what it shows.
 */
export class TopicCoalescer {
  private readonly options: CoalescerOptions;
  private readonly pending = new Map<LiveTopic, Pending>();
  private readonly lastSent = new Map<LiveTopic, number>();

  constructor(
    private readonly emit: (update: LiveUpdate) => void,
    options: Partial<CoalescerOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...COALESCER_DEFAULTS, ...options };
  }

  /** Notes that `ids` of `topic` changed (null: unknown which); they go out with its next message. */
  push(topic: LiveTopic, ids: Iterable<string> | null): void {
    const waiting = this.pending.get(topic);
    if (waiting) {
      if (ids === null) waiting.all = true;
      else for (const id of ids) waiting.ids.add(id);
      return;
    }
    const since = this.now() - (this.lastSent.get(topic) ?? -Infinity);
    const delay = Math.max(this.options.settleMs, this.options.intervalMs - since);
    const timer = setTimeout(() => this.flush(topic), delay);
    timer.unref?.();
    this.pending.set(topic, { ids: new Set(ids ?? []), all: ids === null, timer });
  }

  /** Drops whatever is waiting (at shutdown). */
  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private flush(topic: LiveTopic): void {
    const waiting = this.pending.get(topic);
    if (!waiting) return;
    this.pending.delete(topic);
    this.lastSent.set(topic, this.now());
    const ids = waiting.all || waiting.ids.size > this.options.maxIds ? null : [...waiting.ids].sort();
    this.emit({ topic, ids });
  }
}
