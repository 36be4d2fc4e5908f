// Response shapes of the server endpoints the dashboard reads (mirrors apps/server DTOs/views).

export type DeviceStatus = 'provisioned' | 'online' | 'offline' | 'retired';
export type SessionState =
  | 'pending'
  | 'offered'
  | 'downloading'
  | 'verifying'
  | 'activated'
  | 'refused'
  | 'failed'
  | 'rolled_back'
  | 'cancelled';
export const SESSION_STATES: readonly SessionState[] = [
  'pending',
  'offered',
  'downloading',
  'verifying',
  'activated',
  'refused',
  'failed',
  'rolled_back',
  'cancelled',
];

export interface Device {
  id: string;
  name: string;
  profile: string;
  group: string | null;
  tags: string[];
  status: DeviceStatus;
  lastSeenAt: string | null;
  activeArtifactId: string | null;
  activeModelVersion: string | null;
  createdAt: string;
}

export interface Profile {
  name: string;
  description: string;
  flashBytes: number;
  ramBytes: number;
  latencyBudgetMs: number;
  runtime: 'tflite-micro' | 'tflite';
}

export interface LabelCount {
  name: string;
  devices: number;
  online: number;
}

export interface DeviceSession {
  deviceId: string;
  deploymentId: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  state: SessionState;
  percent: number;
  attempts: number;
  reason: string | null;
  detail: string | null;
  deploymentCreatedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface ModelVersion {
  id: string;
  version: number;
  artifactId: string;
  paramCount: number;
  parentVersionId: string | null;
  createdAt: string;
}

export interface Model {
  id: string;
  name: string;
  dataset: string | null;
  versions?: ModelVersion[];
  createdAt: string;
}

export interface ArtifactFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Artifact {
  id: string;
  kind: string;
  files: ArtifactFile[];
  bytes: number;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface PruneHistoryEntry {
  round: number;
  phase: string;
  params: number;
  macs: number;
  valAccuracy: number;
  accepted: boolean;
}

/** The parts of libs/pruning's PruneReport the dashboard plots. */
export interface PruneReportView {
  params?: { before: number; after: number };
  validation?: { before: number; after: number };
  tflite?: { bytesBefore: number; bytes: number; arenaBytes: number };
  test?: { count: number; before: { float: number; int8: number }; after: { float: number; int8: number } };
  history?: PruneHistoryEntry[];
}

export interface PruningJobResult {
  profile: string;
  modelVersionId: string;
  artifactId: string;
  fits: boolean;
  reasons: string[];
  report: PruneReportView;
}

export interface PruningJob {
  id: string;
  modelVersionId: string;
  profiles: string[];
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: {
    profile: string;
    phase: string;
    step: number;
    totalSteps: number;
    params: number;
    valAccuracy?: number;
    etaSeconds: number;
  } | null;
  results: PruningJobResult[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Deployment {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  status: 'active' | 'completed' | 'failed' | 'cancelled';
  paused: boolean;
  counts: Record<SessionState, number>;
  devices: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface Rollout {
  id: string;
  artifactId: string;
  modelVersion: string;
  target: string;
  kind: 'manual' | 'canary';
  status: 'running' | 'paused' | 'completed' | 'aborted' | 'rolled_back';
  stages: number[];
  stageIndex: number;
  autoAdvance: boolean;
  stageStatus: Deployment['status'];
  awaitingAdvance: boolean;
  devices: number;
  stageDevices: number[];
  deploymentIds: string[];
  rollbackDeploymentIds: string[];
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface AuditEvent {
  id: number;
  at: number;
  type: string;
  profile: string | null;
  subject: string | null;
  message: string;
  evidence: Record<string, unknown>;
}

export interface RollupPoint {
  key: string;
  bucketStart: number;
  samples: number;
  labelled: number;
  accuracy: number | null;
  latencyMeanMs: number | null;
  latencyP95MaxMs: number | null;
}

export interface TelemetryWindow {
  deviceId: string;
  artifactId: string;
  modelVersion: string;
  samples: number;
  labelled: number;
  correct: number;
  latencyMeanMs: number;
  latencyP95Ms: number;
  arenaUsedBytes: number;
  receivedAt: number;
}

export interface Page<T> {
  total: number;
  items: T[];
}
