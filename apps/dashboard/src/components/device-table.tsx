import type { Device, DeviceSession } from '../api/types';
import { timeAgo } from '../format';
import { Link } from '../router';
import { OtaBadge, StatusBadge } from './badges';

/** Devices grouped by profile: name, status, model version, OTA state, group and last seen. */
export function DeviceTable(props: { devices: Device[]; sessions: Map<string, DeviceSession> }) {
  const byProfile = new Map<string, Device[]>();
  for (const d of props.devices) byProfile.set(d.profile, [...(byProfile.get(d.profile) ?? []), d]);
  if (props.devices.length === 0) return <p class="muted">No devices match.</p>;
  return (
    <>
      {[...byProfile.keys()].sort().map((profile) => {
        const devices = (byProfile.get(profile) as Device[]).sort((a, b) => a.name.localeCompare(b.name));
        const online = devices.filter((d) => d.status === 'online').length;
        return (
          <section key={profile} class="profile-group" aria-label={`Profile ${profile}`}>
            <h2>
              {profile}{' '}
              <span class="muted">
                ({online}/{devices.length} online)
              </span>
            </h2>
            <table class="devices">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Status</th>
                  <th scope="col">Model version</th>
                  <th scope="col">OTA</th>
                  <th scope="col">Group</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => (
                  <tr key={d.id} data-device-id={d.id} data-status={d.status}>
                    <td>
                      <Link href={`/devices/${d.id}`}>{d.name}</Link>
                    </td>
                    <td>{d.profile}</td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td>{d.activeModelVersion ?? '—'}</td>
                    <td>
                      <OtaBadge session={props.sessions.get(d.id)} />
                    </td>
                    <td>{d.group ?? '—'}</td>
                    <td>{timeAgo(d.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
