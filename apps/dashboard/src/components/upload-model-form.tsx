import { useState } from 'preact/hooks';
import { messageOf } from '../api/api-error';
import { useSession } from '../live/app-context';
import { ErrorNote } from './error-note';

/** Uploads a TensorFlow.js layers model (model.json and its weight files). */
export function UploadModelForm(props: { onUploaded: () => void }) {
  const { api } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    if (!data.get('dataset')) data.delete('dataset');
    setBusy(true);
    setError(null);
    try {
      const { model } = await api.uploadModel(data);
      setDone(`Uploaded ${model.name}.`);
      form.reset();
      props.onUploaded();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a TensorFlow.js model</h2>
      <label for="model-name">Name</label>
      <input id="model-name" name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" />
      <label for="model-dataset">Dataset</label>
      <select id="model-dataset" name="dataset">
        <option value="">(none)</option>
        <option value="fashion-mnist">fashion-mnist</option>
        <option value="mnist">mnist</option>
      </select>
      <label for="model-files">Files (model.json and its weight files)</label>
      <input id="model-files" name="files" type="file" multiple required accept=".json,.bin" />
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <ErrorNote error={error} />
      {done && <p role="status">{done}</p>}
    </form>
  );
}
