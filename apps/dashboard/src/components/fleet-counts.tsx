import type { Device, DeviceSession } from '../api/types';

const IN_FLIGHT = new Set(['offered', 'downloading', 'verifying']);

/** Counts at a glance: devices, online, offline, updating, and online/total per profile. */
export function FleetCounts(props: { devices: Device[]; sessions: DeviceSession[] }) {
  const online = props.devices.filter((d) => d.status === 'online').length;
  const offline = props.devices.filter((d) => d.status === 'offline').length;
  const updating = props.sessions.filter((s) => IN_FLIGHT.has(s.state)).length;
  const profiles = new Map<string, { total: number; online: number }>();
  for (const d of props.devices) {
    const p = profiles.get(d.profile) ?? { total: 0, online: 0 };
    p.total++;
    if (d.status === 'online') p.online++;
    profiles.set(d.profile, p);
  }
  return (
    <div class="counts" aria-label="Fleet counts">
      <Count label="Devices" value={props.devices.length} testId="count-devices" />
      <Count label="Online" value={online} testId="count-online" tone="ok" />
      <Count label="Offline" value={offline} testId="count-offline" tone={offline > 0 ? 'warn' : undefined} />
      <Count label="Updating" value={updating} testId="count-updating" />
      {[...profiles].sort().map(([name, p]) => (
        <Count key={name} label={name} value={`${p.online}/${p.total}`} hint="online/total" />
      ))}
    </div>
  );
}

function Count(props: {
  label: string;
  value: number | string;
  testId?: string;
  tone?: string;
  hint?: string;
}) {
  return (
    <div class={`count ${props.tone ?? ''}`} data-testid={props.testId} title={props.hint}>
      <span class="value">{props.value}</span>
      <span class="label">{props.label}</span>
    </div>
  );
}
