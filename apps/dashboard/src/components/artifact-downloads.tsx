import { useState } from 'preact/hooks';
import { messageOf } from '../api/api-error';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { bytes } from '../format';
import { ErrorNote } from './error-note';

const FIRMWARE_TARGETS = ['esp32', 'rpi'] as const;

/** The artifact's files (.tflite, C array, op resolver, report) and its firmware bundles. */
export function ArtifactDownloads(props: { artifactId: string }) {
  const { api } = useSession();
  const artifact = useLiveResource(() => api.artifact(props.artifactId), [props.artifactId], []);
  const [error, setError] = useState<string | null>(null);
  const save = (path: string, name: string) => api.download(path, name).catch((e) => setError(messageOf(e)));
  const base = `/api/artifacts/${props.artifactId}`;
  return (
    <div class="downloads" aria-label="Downloads">
      {(artifact.data?.files ?? []).map((f) => (
        <button
          key={f.name}
          type="button"
          class="link"
          onClick={() => save(`${base}/files/${f.name}`, f.name)}
        >
          {f.name} <span class="muted">({bytes(f.bytes)})</span>
        </button>
      ))}
      {FIRMWARE_TARGETS.map((target) => (
        <button
          key={target}
          type="button"
          class="link"
          onClick={() =>
            save(
              `${base}/firmware?target=${target}`,
              `firmware-${target}-${props.artifactId.slice(0, 8)}.tar.gz`,
            )
          }
        >
          firmware bundle ({target})
        </button>
      ))}
      <ErrorNote error={error ?? artifact.error} />
    </div>
  );
}
