import type { DeviceSession, DeviceStatus } from '../api/types';

/** A device's presence. */
export function StatusBadge(props: { status: DeviceStatus }) {
  return <span class={`badge status-${props.status}`}>{props.status}</span>;
}

/** A device's current or latest OTA session: state, and percent while downloading. */
export function OtaBadge(props: { session: DeviceSession | undefined }) {
  const s = props.session;
  if (!s) return <span class="muted">—</span>;
  const text = s.state === 'downloading' ? `downloading ${s.percent}%` : s.state.replace('_', ' ');
  return (
    <span class={`badge ota-${s.state}`} title={`${s.modelVersion}${s.reason ? `: ${s.reason}` : ''}`}>
      {text}
    </span>
  );
}
