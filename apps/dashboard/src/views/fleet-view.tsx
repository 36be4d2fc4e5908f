import { useState } from 'preact/hooks';
import type { DeviceFilter } from '../api/api-client';
import type { DeviceSession } from '../api/types';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { DeviceTable } from '../components/device-table';
import { FleetCounts } from '../components/fleet-counts';
import { FleetFilters } from '../components/fleet-filters';
import { ErrorNote } from '../components/error-note';

/** Every device by profile: live presence, model version and OTA state, with filters and counts. */
export function FleetView() {
  const { api } = useSession();
  const [filter, setFilter] = useState<DeviceFilter>({});
  const [search, setSearch] = useState('');
  const filtered = Object.values(filter).some(Boolean);
  // The whole fleet feeds the counts; a second, filtered list is loaded only when filtering.
  const all = useLiveResource(() => api.devices(), [], ['devices']);
  const some = useLiveResource(
    () => (filtered ? api.devices(filter) : Promise.resolve(undefined)),
    [filter],
    ['devices'],
  );
  const devices = filtered ? some : all;
  const ota = useLiveResource(() => api.otaStates(), [], ['deployments']);
  const sessions = new Map<string, DeviceSession>((ota.data ?? []).map((s) => [s.deviceId, s]));
  const needle = search.trim().toLowerCase();
  const shown = (devices.data?.items ?? []).filter(
    (d) => !needle || d.name.toLowerCase().includes(needle) || d.id.startsWith(needle),
  );

  return (
    <section aria-labelledby="fleet-heading">
      <h1 id="fleet-heading">Fleet</h1>
      <FleetCounts devices={all.data?.items ?? []} sessions={ota.data ?? []} />
      <FleetFilters filter={filter} onFilter={setFilter} search={search} onSearch={setSearch} />
      <ErrorNote error={devices.error ?? ota.error} />
      {devices.data && (
        <p class="muted">
          Showing {shown.length} of {devices.data.total} device(s).
        </p>
      )}
      <DeviceTable devices={shown} sessions={sessions} />
    </section>
  );
}
