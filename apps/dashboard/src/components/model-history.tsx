import type { DeviceSession } from '../api/types';
import { timeAgo } from '../format';
import { OtaBadge } from './badges';

/** The models a device was given (its OTA sessions), newest first. */
export function ModelHistory(props: { sessions: DeviceSession[] }) {
  if (props.sessions.length === 0) return <p class="muted">No deployment has reached this device yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Model version</th>
          <th scope="col">Outcome</th>
          <th scope="col">Attempts</th>
          <th scope="col">Reason</th>
          <th scope="col">Deployment target</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((s) => (
          <tr key={`${s.deploymentId}`}>
            <td>{s.modelVersion}</td>
            <td>
              <OtaBadge session={s} />
            </td>
            <td>{s.attempts}</td>
            <td>{s.reason ? `${s.reason}${s.detail ? `: ${s.detail}` : ''}` : '—'}</td>
            <td>{s.target}</td>
            <td>{timeAgo(s.finishedAt ?? s.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
