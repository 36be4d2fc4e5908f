import { useState } from 'preact/hooks';
import type { RolloutAction } from '../api/api-client';
import { messageOf } from '../api/api-error';
import type { Deployment, Rollout, SessionState } from '../api/types';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { shortId, timeAgo } from '../format';
import { ErrorNote } from './error-note';
import { StateBar } from './state-bar';

const ACTIONS: { action: RolloutAction; label: string; when: (r: Rollout) => boolean }[] = [
  { action: 'pause', label: 'Pause', when: (r) => r.status === 'running' },
  { action: 'resume', label: 'Resume', when: (r) => r.status === 'paused' || r.awaitingAdvance },
  { action: 'abort', label: 'Abort', when: (r) => r.status === 'running' || r.status === 'paused' },
  { action: 'rollback', label: 'Roll back', when: (r) => r.status !== 'rolled_back' },
];

/** One rollout: its stage, live progress by device state over all its stages, and its actions. */
export function RolloutCard(props: { rollout: Rollout; onChanged: () => void }) {
  const { api } = useSession();
  const r = props.rollout;
  // Every stage's deployment (or, once rolled back, the rollback's): the rollout's devices per state.
  const rolledBack = r.rollbackDeploymentIds.length > 0;
  const ids = rolledBack ? r.rollbackDeploymentIds : r.deploymentIds;
  const counts = useLiveResource(
    async () => sumCounts(await Promise.all(ids.map((id) => api.deployment(id)))),
    [ids.join()],
    ['deployments'],
    (u) => u.ids?.some((id) => ids.includes(id)) ?? true,
  );
  const [error, setError] = useState<string | null>(null);
  const act = async (action: RolloutAction) => {
    if ((action === 'abort' || action === 'rollback') && !confirm(`${action} rollout ${shortId(r.id)}?`))
      return;
    try {
      await api.rolloutAction(r.id, action);
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <article class="card rollout" aria-label={`Rollout ${shortId(r.id)}`} data-status={r.status}>
      <h3>
        {r.modelVersion} → {r.target}{' '}
        <span class={`badge rollout-${r.status}`}>{r.status.replace('_', ' ')}</span>{' '}
        {r.kind === 'canary' && <span class="badge">canary</span>}
      </h3>
      <p class="muted">
        Stage {r.stageIndex + 1} of {r.stages.length} ({r.stages.join('% → ')}%), {r.devices} device(s)
        {r.awaitingAdvance ? ', waiting for resume to start the next stage' : ''}; started{' '}
        {timeAgo(r.createdAt)}
        {r.reason ? `; ${r.reason}` : ''}
      </p>
      {counts.data && (
        <StateBar
          counts={counts.data}
          title={rolledBack ? 'Rollback progress by device state' : 'Progress by device state'}
        />
      )}
      <div class="actions">
        {ACTIONS.filter((a) => a.when(r)).map((a) => (
          <button
            key={a.action}
            type="button"
            class={a.action === 'pause' || a.action === 'resume' ? '' : 'danger'}
            onClick={() => act(a.action)}
          >
            {a.label}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
    </article>
  );
}

function sumCounts(deployments: Deployment[]): Record<SessionState, number> {
  const total = {} as Record<SessionState, number>;
  for (const d of deployments)
    for (const [state, n] of Object.entries(d.counts) as [SessionState, number][])
      total[state] = (total[state] ?? 0) + n;
  return total;
}
