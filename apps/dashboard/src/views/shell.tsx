import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../live/app-context';
import type { StreamState } from '../live/live-stream';
import { Link, usePath } from '../router';
import { DeploymentsView } from './deployments-view';
import { DeviceView } from './device-view';
import { FleetView } from './fleet-view';
import { ModelsView } from './models-view';

const NAV = [
  { href: '/', label: 'Fleet' },
  { href: '/models', label: 'Models and pruning' },
  { href: '/deployments', label: 'Deployments' },
];

/** Header, navigation and the view for the current path. */
export function Shell(props: { onLogout: () => void }) {
  const path = usePath();
  const { live } = useSession();
  const [stream, setStream] = useState<StreamState>(live.state);
  useEffect(() => live.onState(setStream), [live]);
  const device = /^\/devices\/([^/]+)$/.exec(path);

  return (
    <>
      <header class="top">
        <span class="brand">fleetprune</span>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              class={
                (item.href === '/' ? path === '/' || path.startsWith('/devices') : path.startsWith(item.href))
                  ? 'active'
                  : ''
              }
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <span class={`stream stream-${stream}`} role="status" aria-live="polite">
          {stream === 'live' ? '● live' : stream === 'reconnecting' ? '○ reconnecting…' : '○ connecting…'}
        </span>
        <button type="button" class="secondary" onClick={props.onLogout}>
          Log out
        </button>
      </header>
      <main class="content">
        {device ? (
          <DeviceView id={device[1]} />
        ) : path.startsWith('/models') ? (
          <ModelsView />
        ) : path.startsWith('/deployments') ? (
          <DeploymentsView />
        ) : (
          <FleetView />
        )}
      </main>
    </>
  );
}
