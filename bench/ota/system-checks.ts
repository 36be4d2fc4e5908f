// What the benchmark checks after a deployment, independently of the devices' own counters.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { FleetSimulator } from '@fleetprune/devices';
import type { ServerProcess } from './server-process';

export interface DeploymentState {
  status: string;
  counts: Record<string, number>;
}

/** Polls the deployment until it leaves `active` (or `ms` pass) and returns its last state. */
export async function settledDeployment(
  server: ServerProcess,
  id: string,
  ms: number,
): Promise<DeploymentState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { json } = await server.call<DeploymentState>('GET', `/api/deployments/${id}`);
    if (json.status !== 'active' || Date.now() > deadline) return json;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Agents not running `artifactId` (lost), and active slot files whose bytes do not hash to the
 * model's SHA-256 (corrupted): read back from the devices' files, not from their counters.
 */
export function verifySlots(
  fleet: FleetSimulator,
  artifactId: string,
  model: Uint8Array,
): { lost: number; corrupted: number } {
  const want = createHash('sha256').update(model).digest('hex');
  let lost = 0;
  let corrupted = 0;
  for (const agent of fleet.agents) {
    const state = agent.state;
    if (state.activeArtifactId !== artifactId || !state.activeSlot) {
      lost++;
      continue;
    }
    const bytes = agent.store.readSlot(state.activeSlot);
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== want) corrupted++;
  }
  return { lost, corrupted };
}

/** Resets a process's VmHWM to its current RSS (Linux clear_refs 5), so a peak is per phase. */
export function resetPeakMemory(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the process's whole life.
  }
}
