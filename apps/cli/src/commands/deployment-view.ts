/** A deployment as GET /api/deployments/:id returns it. */
export interface DeploymentView {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  status: 'active' | 'completed' | 'failed' | 'cancelled';
  size: number;
  counts: Record<string, number>;
  devices: number;
  createdAt: string;
  finishedAt: string | null;
  sessions?: {
    deviceId: string;
    state: string;
    attempts: number;
    percent: number;
    reason: string | null;
    detail: string | null;
  }[];
}

/** "3/10 activated, 2 downloading, 1 failed": the non-zero counts, activated first. */
export function summarizeCounts(view: DeploymentView): string {
  const parts = Object.entries(view.counts)
    .filter(([state, n]) => n > 0 && state !== 'activated')
    .map(([state, n]) => `${n} ${state}`);
  return [`${view.counts.activated ?? 0}/${view.devices} activated`, ...parts].join(', ');
}
