import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { clockTime } from '../format';
import { ErrorNote } from './error-note';

const DAY_MS = 86_400_000;

/** The last day's audit events (drift, re-prune, canary, promote, rollout steps) with their evidence. */
export function EventsList() {
  const { api } = useSession();
  const events = useLiveResource(() => api.events(Date.now() - DAY_MS), [], ['events']);
  const list = [...(events.data ?? [])].reverse().slice(0, 100);
  return (
    <>
      <ErrorNote error={events.error} />
      {list.length === 0 && <p class="muted">No events in the last day.</p>}
      <ol class="events">
        {list.map((e) => (
          <li key={e.id} data-type={e.type}>
            <span class="time">{clockTime(e.at)}</span>{' '}
            <span class={`badge event-${e.type}`}>{e.type.replace(/_/g, ' ')}</span>{' '}
            {e.profile && <span class="muted">[{e.profile}]</span>} {e.message}
            {Object.keys(e.evidence).length > 0 && (
              <details>
                <summary>evidence</summary>
                <pre>{JSON.stringify(e.evidence, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
