import type { OtaSessionState } from '../ota/ota-session.entity';

/** One device's part in one deployment, as the dashboard shows it. */
export interface DeviceSessionView {
  deviceId: string;
  deploymentId: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  state: OtaSessionState;
  /** Download progress of the current attempt, 0-100. */
  percent: number;
  attempts: number;
  reason: string | null;
  detail: string | null;
  deploymentCreatedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
