import { createHash } from 'node:crypto';

/** Why a list of stages is not usable, or undefined when it is. */
export function stagesProblem(stages: readonly number[]): string | undefined {
  if (stages.length === 0 || stages.length > 20) return 'give 1-20 stages';
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i];
    if (!(s > 0 && s <= 100)) return `stage ${i + 1} is ${s}%: each must be in (0, 100]`;
    if (i > 0 && s <= stages[i - 1]) return 'stages are cumulative percentages and must increase';
  }
  if (stages[stages.length - 1] !== 100) return 'the last stage must be 100 (every device)';
  return undefined;
}

/**
 * The rollout's device order: by a hash of rollout id and device id, so each rollout (and so
 * each canary) picks a different but reproducible sample of the fleet.
 */
export function rolloutOrder(rolloutId: string, deviceIds: readonly string[]): string[] {
  const key = (id: string) => createHash('sha256').update(`${rolloutId}\u0000${id}`).digest('hex');
  return deviceIds
    .map((id) => ({ id, key: key(id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((d) => d.id);
}

/** How many of `total` devices stage `index` reaches in all (at least one per stage). */
export function stageEnd(stages: readonly number[], index: number, total: number): number {
  const end = Math.ceil((stages[index] / 100) * total - 1e-9);
  const previous = index === 0 ? 0 : stageEnd(stages, index - 1, total);
  return Math.min(total, Math.max(end, previous + 1));
}

/** The devices that stage `index` adds (empty when earlier stages already covered all). */
export function stageSlice(stages: readonly number[], index: number, ordered: readonly string[]): string[] {
  const start = index === 0 ? 0 : stageEnd(stages, index - 1, ordered.length);
  return ordered.slice(start, stageEnd(stages, index, ordered.length));
}
