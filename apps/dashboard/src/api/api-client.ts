import { ApiError } from './api-error';
import type {
  Artifact,
  AuditEvent,
  Deployment,
  Device,
  DeviceSession,
  LabelCount,
  Model,
  Page,
  Profile,
  PruningJob,
  Rollout,
  RollupPoint,
  TelemetryWindow,
} from './types';

type Query = Record<string, string | number | undefined>;

/** Filters of the fleet view, as GET /api/devices takes them. */
export interface DeviceFilter {
  profile?: string;
  status?: string;
  group?: string;
  tag?: string;
}

/** What POST /api/rollouts takes. */
export interface NewRollout {
  artifactId: string;
  target: string;
  stages: number[];
  autoAdvance: boolean;
  maxConcurrent?: number;
}

/** What POST /api/pruning-jobs takes (the dashboard's subset). */
export interface NewPruningJob {
  model: string;
  profiles: string[];
  targetParams?: number;
  maxDrop?: number;
  epochs?: number;
  trainLimit?: number;
  testLimit?: number;
}

export type RolloutAction = 'pause' | 'resume' | 'abort' | 'rollback';

/** Every server call the dashboard makes, with the operator token in the Authorization header. */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  /** The headers every call carries (the live stream uses them too). */
  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  devices = (filter: DeviceFilter = {}) => this.get<Page<Device>>('/api/devices', { ...filter, limit: 1000 });
  device = (id: string) => this.get<Device>(`/api/devices/${id}`);
  profiles = () => this.get<Profile[]>('/api/profiles');
  groups = () => this.get<LabelCount[]>('/api/groups');
  tags = () => this.get<LabelCount[]>('/api/tags');
  otaStates = () => this.get<DeviceSession[]>('/api/dashboard/ota-states');
  deviceSessions = (id: string) => this.get<DeviceSession[]>(`/api/dashboard/devices/${id}/sessions`);
  rollups = (deviceId: string, since: number) =>
    this.get<RollupPoint[]>('/api/telemetry/rollups', { deviceId, since, groupBy: 'device' });
  lastTelemetry = (deviceId: string) => this.get<TelemetryWindow[]>('/api/telemetry', { deviceId, limit: 1 });
  models = () => this.get<Model[]>('/api/models');
  model = (id: string) => this.get<Model>(`/api/models/${id}`);
  uploadModel = (form: FormData) => this.send<{ model: Model }>('POST', '/api/models', form);
  jobs = () => this.get<PruningJob[]>('/api/pruning-jobs');
  startJob = (job: NewPruningJob) => this.send<PruningJob>('POST', '/api/pruning-jobs', job);
  cancelJob = (id: string) => this.send<PruningJob>('POST', `/api/pruning-jobs/${id}/cancel`);
  artifacts = (kind?: string) => this.get<Artifact[]>('/api/artifacts', { kind });
  artifact = (id: string) => this.get<Artifact>(`/api/artifacts/${id}`);
  deployment = (id: string) => this.get<Deployment>(`/api/deployments/${id}`);
  rollouts = () => this.get<Rollout[]>('/api/rollouts');
  startRollout = (rollout: NewRollout) => this.send<Rollout>('POST', '/api/rollouts', rollout);
  rolloutAction = (id: string, action: RolloutAction) =>
    this.send<Rollout>('POST', `/api/rollouts/${id}/${action}`, { reason: `${action} from the dashboard` });
  events = (since: number) => this.get<AuditEvent[]>('/api/events', { since, limit: 500 });

  /** Downloads a file with the token in the header and hands it to the browser as a save (the server's file name wins). */
  async download(path: string, fileName: string): Promise<void> {
    const response = await this.fetch('GET', path);
    const disposition = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '');
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = disposition?.[1] ?? fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** GET with a query string (undefined values left out). */
  async get<T>(path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined && value !== '') params.set(key, String(value));
    const qs = params.toString();
    return (await this.fetch('GET', qs ? `${path}?${qs}` : path)).json() as Promise<T>;
  }

  /** POST/PUT a JSON body, or a FormData as multipart. */
  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, body);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: payload });
    } catch (error) {
      throw new ApiError(0, `the server did not answer (${error instanceof Error ? error.message : error})`);
    }
    if (response.ok) return response;
    const error = new ApiError(response.status, await errorMessage(response));
    if (error.unauthorized) this.onUnauthorized();
    throw error;
  }
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string | string[] };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    if (message) return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text || `${response.status} ${response.statusText}`;
}
