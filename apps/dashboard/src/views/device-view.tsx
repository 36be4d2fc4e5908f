import { useMemo } from 'preact/hooks';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { timeAgo } from '../format';
import { Link } from '../router';
import { OtaBadge, StatusBadge } from '../components/badges';
import { ErrorNote } from '../components/error-note';
import { DeviceTelemetryCharts } from '../components/device-telemetry-charts';
import { LastTelemetry } from '../components/last-telemetry';
import { ModelHistory } from '../components/model-history';

const OPEN = new Set(['pending', 'offered', 'downloading', 'verifying']);

/** One device: profile, model history, current OTA session, accuracy and latency over time. */
export function DeviceView(props: { id: string }) {
  const { api } = useSession();
  const mine = (u: { ids: string[] | null }) => u.ids?.includes(props.id) ?? true;
  const device = useLiveResource(() => api.device(props.id), [props.id], ['devices'], mine);
  const history = useLiveResource(() => api.deviceSessions(props.id), [props.id], ['deployments', 'devices']);
  const current = useMemo(() => history.data?.find((s) => OPEN.has(s.state)), [history.data]);
  const d = device.data;

  return (
    <section aria-labelledby="device-heading">
      <p>
        <Link href="/">← Fleet</Link>
      </p>
      <h1 id="device-heading">{d ? d.name : 'Device'}</h1>
      <ErrorNote error={device.error} />
      {d && (
        <dl class="facts">
          <dt>Profile</dt>
          <dd data-testid="device-profile">{d.profile}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={d.status} /> <span class="muted">last seen {timeAgo(d.lastSeenAt)}</span>
          </dd>
          <dt>Model version</dt>
          <dd>{d.activeModelVersion ?? '—'}</dd>
          <dt>Group / tags</dt>
          <dd>
            {d.group ?? '—'} {d.tags.length > 0 && <span class="muted">[{d.tags.join(', ')}]</span>}
          </dd>
          <dt>Current OTA session</dt>
          <dd data-testid="current-session">
            {current ? (
              <>
                <OtaBadge session={current} /> {current.modelVersion}, attempt {current.attempts}
              </>
            ) : (
              'none'
            )}
          </dd>
          <dt>Device id</dt>
          <dd>
            <code>{d.id}</code>
          </dd>
        </dl>
      )}
      <DeviceTelemetryCharts deviceId={props.id} />
      <LastTelemetry deviceId={props.id} />
      <h2>Model history</h2>
      <ModelHistory sessions={history.data ?? []} />
    </section>
  );
}
