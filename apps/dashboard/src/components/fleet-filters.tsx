import type { DeviceFilter } from '../api/api-client';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';

const STATUSES = ['online', 'offline', 'provisioned', 'retired'];

/** Profile, status, group and tag filters (server-side) and a name search (client-side). */
export function FleetFilters(props: {
  filter: DeviceFilter;
  onFilter: (filter: DeviceFilter) => void;
  search: string;
  onSearch: (search: string) => void;
}) {
  const { api } = useSession();
  const profiles = useLiveResource(() => api.profiles(), [], []);
  const groups = useLiveResource(() => api.groups(), [], ['devices']);
  const tags = useLiveResource(() => api.tags(), [], ['devices']);
  const set = (key: keyof DeviceFilter, value: string) =>
    props.onFilter({ ...props.filter, [key]: value || undefined });

  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <Select
        id="filter-profile"
        label="Profile"
        value={props.filter.profile}
        options={(profiles.data ?? []).map((p) => p.name)}
        onChange={(v) => set('profile', v)}
      />
      <Select
        id="filter-status"
        label="Status"
        value={props.filter.status}
        options={STATUSES}
        onChange={(v) => set('status', v)}
      />
      <Select
        id="filter-group"
        label="Group"
        value={props.filter.group}
        options={(groups.data ?? []).map((g) => g.name)}
        onChange={(v) => set('group', v)}
      />
      <Select
        id="filter-tag"
        label="Tag"
        value={props.filter.tag}
        options={(tags.data ?? []).map((t) => t.name)}
        onChange={(v) => set('tag', v)}
      />
      <span class="field">
        <label for="filter-search">Name</label>
        <input
          id="filter-search"
          type="search"
          value={props.search}
          onInput={(e) => props.onSearch((e.target as HTMLInputElement).value)}
        />
      </span>
    </form>
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: string[];
  onChange: (value: string) => void;
}) {
  return (
    <span class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        <option value="">all</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </span>
  );
}
