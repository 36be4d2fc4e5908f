import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { ArtifactsTable } from '../components/artifacts-table';
import { ErrorNote } from '../components/error-note';
import { PruneJobForm } from '../components/prune-job-form';
import { PruningJobCard } from '../components/pruning-job-card';
import { UploadModelForm } from '../components/upload-model-form';

/** Upload a TF.js model, prune it for profiles, follow the jobs live, download what they made. */
export function ModelsView() {
  const { api } = useSession();
  const models = useLiveResource(() => api.models(), [], ['models']);
  const jobs = useLiveResource(() => api.jobs(), [], ['jobs']);
  const recent = [...(jobs.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 10);

  return (
    <section aria-labelledby="models-heading">
      <h1 id="models-heading">Models and pruning</h1>
      <div class="columns">
        <UploadModelForm onUploaded={models.reload} />
        <PruneJobForm models={models.data ?? []} onStarted={jobs.reload} />
      </div>
      <h2>Pruning jobs</h2>
      <ErrorNote error={jobs.error} />
      {recent.length === 0 && <p class="muted">No pruning jobs yet.</p>}
      {recent.map((job) => (
        <PruningJobCard key={job.id} job={job} />
      ))}
      <h2>Artifacts</h2>
      <ArtifactsTable />
    </section>
  );
}
