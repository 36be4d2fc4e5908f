import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { bytes, shortId, timeAgo } from '../format';
import { ArtifactDownloads } from './artifact-downloads';

/** Deployable (.tflite) artifacts, newest first, with their downloads. */
export function ArtifactsTable() {
  const { api } = useSession();
  const artifacts = useLiveResource(() => api.artifacts('tflite'), [], ['jobs', 'models']);
  const list = [...(artifacts.data ?? [])]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 20);
  if (list.length === 0) return <p class="muted">No deployable artifacts yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Artifact</th>
          <th scope="col">Model version</th>
          <th scope="col">Profile</th>
          <th scope="col">Size</th>
          <th scope="col">Created</th>
          <th scope="col">Downloads</th>
        </tr>
      </thead>
      <tbody>
        {list.map((a) => (
          <tr key={a.id}>
            <td>
              <code>{shortId(a.id)}</code>
            </td>
            <td>{String(a.metadata.modelVersion ?? '—')}</td>
            <td>{String(a.metadata.profile ?? '—')}</td>
            <td>{bytes(a.bytes)}</td>
            <td>{timeAgo(a.createdAt)}</td>
            <td>
              <ArtifactDownloads artifactId={a.id} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
