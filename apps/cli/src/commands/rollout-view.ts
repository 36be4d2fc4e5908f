import { printTable } from '../output';
import { CliError, ServerClient } from '../server-client';
import { DeploymentView, summarizeCounts } from './deployment-view';

/** A rollout as GET /api/rollouts/:id returns it. */
export interface RolloutView {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  kind: 'manual' | 'canary';
  status: 'running' | 'paused' | 'completed' | 'aborted' | 'rolled_back';
  stages: number[];
  stageIndex: number;
  autoAdvance: boolean;
  stageStatus: DeploymentView['status'];
  awaitingAdvance: boolean;
  devices: number;
  stageDevices: number[];
  deploymentIds: string[];
  rollbackDeploymentIds: string[];
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One row per stage: its share, the devices it adds, and its deployment's progress. */
export interface StageRow {
  stage: number;
  percent: number;
  devices: number | null;
  deployment: string | null;
  status: string;
  progress: string | null;
}

/** "running, stage 2/3 (50%), waiting for resume": where a rollout stands, in one phrase. */
export function rolloutState(view: RolloutView): string {
  const stage = `stage ${view.stageIndex + 1}/${view.stages.length} (${view.stages[view.stageIndex]}%)`;
  const gate = view.awaitingAdvance ? ', waiting for "rollouts resume"' : '';
  return `${view.status}, ${stage}${gate}${view.reason ? `: ${view.reason}` : ''}`;
}

/** The stage rows, with each started stage's deployment fetched for its counts. */
export async function stageRows(client: ServerClient, view: RolloutView): Promise<StageRow[]> {
  return Promise.all(
    view.stages.map(async (percent, i): Promise<StageRow> => {
      const started = i <= view.stageIndex;
      const id = started ? view.deploymentIds[i] : undefined;
      const deployment = id
        ? await client.request<DeploymentView>('GET', `/api/deployments/${encodeURIComponent(id)}`)
        : undefined;
      return {
        stage: i + 1,
        percent,
        devices: started ? view.stageDevices[i] - (i > 0 ? view.stageDevices[i - 1] : 0) : null,
        deployment: id ?? null,
        // A started stage without a deployment had no devices left: done at once.
        status: deployment?.status ?? (started ? 'completed' : 'pending'),
        progress: deployment ? summarizeCounts(deployment) : null,
      };
    }),
  );
}

/** Prints a rollout's headline and its stage table. */
export function printRollout(view: RolloutView, rows: StageRow[]): void {
  console.log(
    `rollout ${view.id}: ${rolloutState(view)}; ${view.modelVersion} to ${view.target}, ${view.devices} device(s)`,
  );
  printTable(rows as unknown as Record<string, unknown>[], [
    'stage',
    'percent',
    'devices',
    'deployment',
    'status',
    'progress',
  ]);
  if (view.rollbackDeploymentIds.length > 0)
    console.log(`rollback deployments: ${view.rollbackDeploymentIds.join(', ')}`);
}

/** True once a rollout needs no more watching: it ended, paused, or waits at a gate. */
export function rolloutSettled(view: RolloutView): boolean {
  return view.status !== 'running' || view.awaitingAdvance;
}

/**
 * Polls a rollout every `intervalMs` (progress lines on stderr) until it settles; resolves when
 * it completed or waits at a gate, throws with the reason when it paused, aborted or rolled back.
 */
export async function followRollout(
  client: ServerClient,
  id: string,
  json = false,
  intervalMs = 1000,
): Promise<void> {
  const path = `/api/rollouts/${encodeURIComponent(id)}`;
  let view = await client.request<RolloutView>('GET', path);
  let last = '';
  for (;;) {
    const rows = await stageRows(client, view);
    const current = rows[view.stageIndex];
    const line = `${view.id.slice(0, 8)} ${rolloutState(view)}${current.progress ? `; ${current.progress}` : ''}`;
    if (line !== last) console.error(line);
    last = line;
    if (rolloutSettled(view)) {
      if (json) console.log(JSON.stringify({ ...view, stageRows: rows }, null, 2));
      else printRollout(view, rows);
      break;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
    view = await client.request<RolloutView>('GET', path);
  }
  if (view.status !== 'completed' && !view.awaitingAdvance)
    throw new CliError(`rollout ${view.status.replace('_', ' ')}${view.reason ? `: ${view.reason}` : ''}`);
}
