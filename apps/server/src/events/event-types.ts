/** Every decision the server records, in the order they happen in a closed-loop run. */
export const EVENT_TYPES = [
  'drift_detected',
  'samples_requested',
  'reprune_started',
  'reprune_failed',
  'canary_started',
  'promoted',
  'rolled_back',
  'remediation_completed',
  'remediation_failed',
  'rollout_started',
  'rollout_stage_started',
  'rollout_paused',
  'rollout_resumed',
  'rollout_aborted',
  'rollout_completed',
  'rollout_rolled_back',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
