import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { bytes, percent, timeAgo } from '../format';

/** The device's most recent telemetry window. */
export function LastTelemetry(props: { deviceId: string }) {
  const { api } = useSession();
  const last = useLiveResource(
    () => api.lastTelemetry(props.deviceId),
    [props.deviceId],
    ['telemetry'],
    (u) => u.ids?.includes(props.deviceId) ?? true,
  );
  const w = last.data?.[0];
  return (
    <section aria-labelledby="last-telemetry-heading">
      <h2 id="last-telemetry-heading">Last telemetry</h2>
      {!w ? (
        <p class="muted">No telemetry yet.</p>
      ) : (
        <dl class="facts" data-testid="last-telemetry">
          <dt>Received</dt>
          <dd>{timeAgo(w.receivedAt)}</dd>
          <dt>Model version</dt>
          <dd>{w.modelVersion}</dd>
          <dt>Samples (labelled)</dt>
          <dd>
            {w.samples} ({w.labelled})
          </dd>
          <dt>Accuracy</dt>
          <dd>{w.labelled > 0 ? percent(w.correct / w.labelled) : '—'}</dd>
          <dt>Latency mean / p95</dt>
          <dd>
            {w.latencyMeanMs.toFixed(2)} ms / {w.latencyP95Ms.toFixed(2)} ms
          </dd>
          <dt>Arena used</dt>
          <dd>{bytes(w.arenaUsedBytes)}</dd>
        </dl>
      )}
    </section>
  );
}
