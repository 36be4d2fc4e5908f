import { useState } from 'preact/hooks';
import { messageOf } from '../api/api-error';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { shortId } from '../format';
import { ErrorNote } from './error-note';

const KINDS = ['profile', 'group', 'tag', 'device'] as const;

/**
 * Starts a staged rollout: an artifact, a target (profile, group, tag or device), an optional
 * canary share as the first stage, and the cumulative stages after it.
 */
export function RolloutForm(props: { onStarted: () => void }) {
  const { api } = useSession();
  const artifacts = useLiveResource(() => api.artifacts('tflite'), [], ['jobs', 'models']);
  const profiles = useLiveResource(() => api.profiles(), [], []);
  const groups = useLiveResource(() => api.groups(), [], ['devices']);
  const tags = useLiveResource(() => api.tags(), [], ['devices']);
  const devices = useLiveResource(() => api.devices(), [], ['devices']);
  const [kind, setKind] = useState<(typeof KINDS)[number]>('profile');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const values: { value: string; label: string }[] =
    kind === 'profile'
      ? (profiles.data ?? []).map((p) => ({ value: p.name, label: p.name }))
      : kind === 'group'
        ? (groups.data ?? []).map((g) => ({ value: g.name, label: `${g.name} (${g.devices})` }))
        : kind === 'tag'
          ? (tags.data ?? []).map((t) => ({ value: t.name, label: `${t.name} (${t.devices})` }))
          : (devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }));
  const list = [...(artifacts.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const submit = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const canary = Number(data.get('canary') || 0);
    const further = String(data.get('stages') || '100')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    const stages = canary > 0 ? [canary, ...further.filter((s) => s > canary)] : further;
    if (stages.some((s) => !Number.isFinite(s))) return setError('Stages must be numbers, e.g. "50, 100".');
    setBusy(true);
    setError(null);
    try {
      await api.startRollout({
        artifactId: String(data.get('artifactId')),
        target: `${kind}:${String(data.get('targetValue'))}`,
        stages,
        autoAdvance: data.get('autoAdvance') === 'on',
        maxConcurrent: data.get('maxConcurrent') ? Number(data.get('maxConcurrent')) : undefined,
      });
      props.onStarted();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card rollout-form" onSubmit={submit} aria-labelledby="rollout-heading">
      <h2 id="rollout-heading">New rollout</h2>
      <div class="grid">
        <span class="field">
          <label for="rollout-artifact">Artifact</label>
          <select id="rollout-artifact" name="artifactId" required>
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                {String(a.metadata.modelVersion ?? shortId(a.id))}
                {a.metadata.profile ? ` (${String(a.metadata.profile)})` : ''}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="rollout-target-kind">Target kind</label>
          <select
            id="rollout-target-kind"
            value={kind}
            onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="rollout-target">Target</label>
          <select id="rollout-target" name="targetValue" required>
            {values.map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </span>
        <span class="field">
          <label for="rollout-canary">Canary share (%)</label>
          <input id="rollout-canary" name="canary" type="number" min="0" max="99" defaultValue="0" />
        </span>
        <span class="field">
          <label for="rollout-stages">Stages (cumulative %)</label>
          <input id="rollout-stages" name="stages" defaultValue="100" />
        </span>
        <span class="field">
          <label for="rollout-concurrent">Max concurrent downloads</label>
          <input id="rollout-concurrent" name="maxConcurrent" type="number" min="1" />
        </span>
        <label class="check">
          <input type="checkbox" name="autoAdvance" defaultChecked /> advance stages automatically
        </label>
      </div>
      <button type="submit" disabled={busy || list.length === 0}>
        Start rollout
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
