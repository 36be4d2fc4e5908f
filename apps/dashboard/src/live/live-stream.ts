/** A topic of GET /api/stream; mirrors the server's LiveTopic. */
export type LiveTopic = 'devices' | 'deployments' | 'jobs' | 'models' | 'events' | 'telemetry';
const TOPICS: LiveTopic[] = ['devices', 'deployments', 'jobs', 'models', 'events', 'telemetry'];

/** One message of the stream: what changed (ids null: many things, refetch all). */
export interface LiveUpdate {
  topic: LiveTopic;
  ids: string[] | null;
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';
type Listener = (update: LiveUpdate) => void;

/**
 * The server-sent event stream, read with fetch so the token goes in the Authorization header
 * (EventSource cannot send headers, and a token in the URL would end up in logs). Reconnects
 * with backoff; every (re)connect is announced to all listeners as "refetch all", since
 * updates may have been missed meanwhile.
 */
export class LiveStream {
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(state: StreamState) => void>();
  private abort = new AbortController();
  private stopped = false;
  state: StreamState = 'connecting';

  constructor(
    private readonly headers: Record<string, string>,
    private readonly onUnauthorized: () => void,
  ) {}

  /** Starts reading (and reconnecting) until `close()`. */
  start(): void {
    void this.run();
  }

  close(): void {
    this.stopped = true;
    this.abort.abort();
    this.setState('closed');
  }

  /** Calls `listener` with every update; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: (state: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopped) {
      try {
        const response = await fetch('/api/stream', { headers: this.headers, signal: this.abort.signal });
        if (response.status === 401) return this.onUnauthorized();
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        delay = 500;
        await this.read(response.body);
      } catch {
        // Network error or server restart: retry below.
      }
      if (this.stopped) return;
      this.setState('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.onFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  /** One SSE frame: `event:` and `data:` lines; comment lines (keep-alives) start with ':'. */
  private onFrame(frame: string): void {
    let event = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (event === 'ready') {
      this.setState('live');
      for (const topic of TOPICS) this.emit({ topic, ids: null });
    } else if (event === 'update' && data) this.emit(JSON.parse(data) as LiveUpdate);
  }

  private emit(update: LiveUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private setState(state: StreamState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
