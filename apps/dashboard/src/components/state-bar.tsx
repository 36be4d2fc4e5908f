import { SESSION_STATES, SessionState } from '../api/types';

/** Devices of a deployment per OTA state: a stacked bar and its legend with counts. */
export function StateBar(props: { counts: Record<SessionState, number>; title: string }) {
  const total = SESSION_STATES.reduce((sum, s) => sum + (props.counts[s] ?? 0), 0);
  const present = SESSION_STATES.filter((s) => (props.counts[s] ?? 0) > 0);
  return (
    <div class="state-bar" aria-label={props.title}>
      <div class="bar" role="img" aria-label={present.map((s) => `${props.counts[s]} ${s}`).join(', ')}>
        {present.map((s) => (
          <span
            key={s}
            class={`segment ota-${s}`}
            style={{ width: `${(props.counts[s] / Math.max(total, 1)) * 100}%` }}
          />
        ))}
      </div>
      <ul class="legend">
        {present.map((s) => (
          <li key={s} data-state={s} data-count={props.counts[s]}>
            <span class={`swatch ota-${s}`} /> {s.replace('_', ' ')}: {props.counts[s]}
          </li>
        ))}
      </ul>
    </div>
  );
}
