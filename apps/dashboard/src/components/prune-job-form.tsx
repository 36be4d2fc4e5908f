import { useState } from 'preact/hooks';
import type { NewPruningJob } from '../api/api-client';
import { messageOf } from '../api/api-error';
import type { Model } from '../api/types';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { ErrorNote } from './error-note';

/** Starts a pruning job of a model's latest version for the chosen profiles. */
export function PruneJobForm(props: { models: Model[]; onStarted: () => void }) {
  const { api } = useSession();
  const profiles = useLiveResource(() => api.profiles(), [], []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const number = (key: string) => (data.get(key) ? Number(data.get(key)) : undefined);
    const job: NewPruningJob = {
      model: String(data.get('model')),
      profiles: data.getAll('profiles').map(String),
      epochs: number('epochs'),
      trainLimit: number('trainLimit'),
      testLimit: number('testLimit'),
    };
    const keep = number('targetParams');
    if (data.get('mode') === 'size' && keep !== undefined) job.targetParams = keep / 100;
    if (data.get('mode') === 'accuracy') job.maxDrop = number('maxDrop');
    if (job.profiles.length === 0) return setError('Choose at least one profile.');
    setBusy(true);
    setError(null);
    try {
      await api.startJob(job);
      props.onStarted();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="prune-heading">
      <h2 id="prune-heading">Prune for device profiles</h2>
      <label for="prune-model">Model</label>
      <select id="prune-model" name="model" required>
        {props.models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
            {m.dataset ? ` (${m.dataset})` : ''}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>Profiles</legend>
        {(profiles.data ?? []).map((p) => (
          <label key={p.name} class="check">
            <input type="checkbox" name="profiles" value={p.name} /> {p.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Goal</legend>
        <label class="check">
          <input type="radio" name="mode" value="size" defaultChecked /> keep at most
          <input
            aria-label="Parameters to keep (%)"
            name="targetParams"
            type="number"
            min="1"
            max="100"
            defaultValue="40"
            class="narrow"
          />
          % of the parameters
        </label>
        <label class="check">
          <input type="radio" name="mode" value="accuracy" /> lose at most
          <input
            aria-label="Largest accuracy drop (points)"
            name="maxDrop"
            type="number"
            min="0"
            max="50"
            step="0.1"
            defaultValue="1"
            class="narrow"
          />{' '}
          accuracy points
        </label>
      </fieldset>
      <label for="prune-epochs">Training budget (epochs)</label>
      <input
        id="prune-epochs"
        name="epochs"
        type="number"
        min="0.01"
        max="100"
        step="0.01"
        defaultValue="2"
      />
      <label for="prune-train-limit">Training images (blank: all)</label>
      <input id="prune-train-limit" name="trainLimit" type="number" min="100" />
      <label for="prune-test-limit">Test images for the report (blank: all)</label>
      <input id="prune-test-limit" name="testLimit" type="number" min="100" />
      <button type="submit" disabled={busy || props.models.length === 0}>
        Start pruning
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
