import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { ErrorNote } from '../components/error-note';
import { EventsList } from '../components/events-list';
import { RolloutCard } from '../components/rollout-card';
import { RolloutForm } from '../components/rollout-form';

/** Create rollouts, follow them per device state, act on them, and read the decisions made. */
export function DeploymentsView() {
  const { api } = useSession();
  const rollouts = useLiveResource(() => api.rollouts(), [], ['deployments', 'events']);
  const list = [...(rollouts.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 10);
  return (
    <section aria-labelledby="deployments-heading">
      <h1 id="deployments-heading">Deployments</h1>
      <RolloutForm onStarted={rollouts.reload} />
      <h2>Rollouts</h2>
      <ErrorNote error={rollouts.error} />
      {list.length === 0 && <p class="muted">No rollouts yet.</p>}
      {list.map((rollout) => (
        <RolloutCard key={rollout.id} rollout={rollout} onChanged={rollouts.reload} />
      ))}
      <h2>Drift and decision events</h2>
      <EventsList />
    </section>
  );
}
