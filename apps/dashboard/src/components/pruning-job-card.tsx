import { useState } from 'preact/hooks';
import { messageOf } from '../api/api-error';
import type { PruningJob } from '../api/types';
import { useSession } from '../live/app-context';
import { percent, shortId, timeAgo } from '../format';
import { ErrorNote } from './error-note';
import { PruningResultPanel } from './pruning-result-panel';

/** One pruning job: live progress while it runs, then a panel per profile result. */
export function PruningJobCard(props: { job: PruningJob }) {
  const { api } = useSession();
  const [error, setError] = useState<string | null>(null);
  const { job } = props;
  const p = job.progress;
  const running = job.status === 'running' || job.status === 'queued';

  return (
    <article class="card job" aria-label={`Pruning job ${shortId(job.id)}`} data-status={job.status}>
      <h3>
        Job {shortId(job.id)} for {job.profiles.join(', ')}{' '}
        <span class={`badge job-${job.status}`}>{job.status}</span>{' '}
        <span class="muted">{timeAgo(job.createdAt)}</span>
      </h3>
      {job.status === 'running' && p && (
        <div>
          <progress max={p.totalSteps} value={p.step} aria-label="Pruning progress" />
          <span class="muted">
            {' '}
            {p.profile}: {p.phase}, step {p.step}/{p.totalSteps}, {p.params.toLocaleString()} params
            {p.valAccuracy !== undefined ? `, val. accuracy ${percent(p.valAccuracy)}` : ''}, about{' '}
            {Math.round(p.etaSeconds)} s left
          </span>
        </div>
      )}
      {running && (
        <button
          type="button"
          class="secondary"
          onClick={() => api.cancelJob(job.id).catch((e) => setError(messageOf(e)))}
        >
          Cancel job
        </button>
      )}
      {job.error && <p class="error">{job.error}</p>}
      <ErrorNote error={error} />
      {job.results.map((result) => (
        <PruningResultPanel key={result.profile} result={result} />
      ))}
    </article>
  );
}
