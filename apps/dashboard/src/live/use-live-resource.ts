import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/api-error';
import { useSession } from './app-context';
import type { LiveTopic, LiveUpdate } from './live-stream';

/** What `useLiveResource` gives a view. */
export interface LiveResource<T> {
  data: T | undefined;
  error: string | null;
  reload: () => void;
}

/**
 * Loads `load()` now, again when `deps` change, and again whenever the live stream says one of
 * `topics` changed (and `relevant` agrees, e.g. "this device's id is among the changed ids").
 * A refetch requested while one is in flight runs once after it, never in parallel.
 */
export function useLiveResource<T>(
  load: () => Promise<T>,
  deps: unknown[],
  topics: LiveTopic[],
  relevant: (update: LiveUpdate) => boolean = () => true,
): LiveResource<T> {
  const { live } = useSession();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;
  const control = useRef({ running: false, again: false, alive: true, generation: 0 });

  const refresh = async (): Promise<void> => {
    const c = control.current;
    if (c.running) {
      c.again = true;
      return;
    }
    c.running = true;
    const generation = c.generation;
    try {
      do {
        c.again = false;
        try {
          const value = await loadRef.current();
          if (c.alive && generation === c.generation) {
            setData(value);
            setError(null);
          }
        } catch (e) {
          if (c.alive && generation === c.generation) setError(messageOf(e));
        }
      } while (c.again && c.alive && generation === c.generation);
    } finally {
      c.running = false;
    }
  };

  useEffect(() => {
    const c = control.current;
    c.alive = true;
    c.generation++;
    c.running = false;
    void refresh();
    const unsubscribe = live.subscribe((update) => {
      if (topics.includes(update.topic) && (update.ids === null || relevantRef.current(update)))
        void refresh();
    });
    return () => {
      c.alive = false;
      unsubscribe();
    };
  }, deps);

  return { data, error, reload: () => void refresh() };
}
