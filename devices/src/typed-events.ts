import { EventEmitter } from 'node:events';
import { DeviceError } from './device-error';

/** A typed wrapper over EventEmitter: one payload per event name. */
export class TypedEvents<Events extends object> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // A fleet test may wait on many events of one agent at once.
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` on every `event`. */
  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.emitter.on(event, listener);
    return this;
  }

  /** Removes a listener added with on(). */
  off<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): this {
    this.emitter.off(event, listener);
    return this;
  }

  /** Emits `event`; a throwing listener never breaks the emitter's caller. */
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        (listener as (p: Events[K]) => void)(payload);
      } catch {
        // Listeners belong to tests and simulators; their bugs must not crash the device loop.
      }
    }
  }

  /**
   * Resolves with the first `event` whose payload satisfies `predicate`, or rejects with
   * TIMEOUT after `timeoutMs` (the wait always ends by itself).
   */
  waitFor<K extends keyof Events & string>(
    event: K,
    predicate: (payload: Events[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const listener = (payload: Events[K]): void => {
        if (!predicate(payload)) return;
        clearTimeout(timer);
        this.emitter.off(event, listener);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        this.emitter.off(event, listener);
        reject(new DeviceError('TIMEOUT', `no matching "${event}" event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.emitter.on(event, listener);
    });
  }
}
