import type {
  ChunkAcceptance,
  ChunkRejection,
  DeviceCommand,
  FieldSamples,
  OtaChunkRequest,
  OtaOffer,
  OtaOutcome,
  OtaProgress,
  OtaResult,
  StatusMessage,
  TelemetryWindow,
} from '@fleetprune/protocol';
import type { DeviceProfileSpec } from '@fleetprune/tflite';
import type { SlotName } from './device-state-store';
import type { ModelCache } from './model-cache';
import type { DevicePersonality, PersonalityName } from './personality';
import type { SampleSource } from './sample-source';

/** Options of a DeviceAgent; the optional ones default to DEFAULT_AGENT_OPTIONS. */
export interface DeviceAgentOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  mqttUrl: string;
  /** MQTT client id and username. */
  deviceId: string;
  password: string;
  profile: DeviceProfileSpec;
  personality: PersonalityName | DevicePersonality;
  /** The agent keeps its files in `<stateDir>/<deviceId>/`. */
  stateDir: string;
  /** SPKI PEM of the artifact-signing key (GET /api/ota/provisioning). */
  publicKeyPem: string;
  /** Where inference inputs come from; without one the device sees unlabelled noise images. */
  samples?: SampleSource;
  /** First sample this device reads from `samples` (default 0). */
  sampleOffset: number;
  /** Milliseconds between inferences; 0 = no inference loop (default 1000). */
  inferenceIntervalMs: number;
  /** Telemetry window length in ms; 0 = only on flushTelemetry() (default 60 000). */
  telemetryIntervalMs: number;
  /** Bytes one model slot holds (default: profile.flashBytes). */
  slotBytes?: number;
  /** Chunk requests in flight (default: the personality's window). */
  window?: number;
  /** Pull-loop re-request timeout, its cap, and silent rounds before TIMEOUT (5 s, 60 s, 10). */
  requestTimeoutMs: number;
  maxRequestTimeoutMs: number;
  maxSilentRounds: number;
  /** Persist the download prefix each time it grew by this much (default 65 536). */
  persistEveryBytes: number;
  /** fsync slot files and records (default true; a large simulation may turn it off). */
  durable: boolean;
  /** Wait between reconnect attempts (default 1000 ms). */
  reconnectPeriodMs: number;
  /** start() rejects when the first connection is not up by then (default 30 000 ms). */
  connectTimeoutMs: number;
  keepaliveS: number;
  /** Parsed models shared between agents (default: one per agent). */
  modelCache?: ModelCache;
  /** Clock seam (ms since the epoch). */
  now: () => number;
}

/** The options that have defaults. */
export type DeviceAgentDefaults = Omit<
  DeviceAgentOptions,
  'mqttUrl' | 'deviceId' | 'password' | 'profile' | 'personality' | 'stateDir' | 'publicKeyPem'
>;

/** What the caller must give; everything else is merged over DEFAULT_AGENT_OPTIONS. */
export type DeviceAgentInit = Pick<
  DeviceAgentOptions,
  'mqttUrl' | 'deviceId' | 'password' | 'profile' | 'stateDir' | 'publicKeyPem'
> &
  Partial<DeviceAgentDefaults> & { personality?: PersonalityName | DevicePersonality };

/** Defaults of DeviceAgentOptions (the personality defaults to `esp32`). */
export const DEFAULT_AGENT_OPTIONS: Readonly<DeviceAgentDefaults> = {
  sampleOffset: 0,
  inferenceIntervalMs: 1000,
  telemetryIntervalMs: 60_000,
  requestTimeoutMs: 5000,
  maxRequestTimeoutMs: 60_000,
  maxSilentRounds: 10,
  persistEveryBytes: 65_536,
  durable: true,
  reconnectPeriodMs: 1000,
  connectTimeoutMs: 30_000,
  keepaliveS: 60,
  now: () => Date.now(),
};

/** Public counters of one agent; bad input is counted, never thrown. */
export interface AgentCounters {
  connects: number;
  disconnects: number;
  /** Payloads dropped as invalid (any channel), and by ProtocolError code. */
  badMessages: number;
  badMessagesByCode: Record<string, number>;
  offers: number;
  requestsSent: number;
  /** Silent rounds that re-requested outstanding chunks. */
  retryRounds: number;
  chunksAccepted: number;
  chunkBytesAccepted: number;
  chunksRejected: Record<ChunkRejection, number>;
  /** Chunks that arrived with no download in progress. */
  chunksIgnored: number;
  results: Record<OtaOutcome, number>;
  inferences: number;
  telemetrySent: number;
  samplesSent: number;
  commands: number;
  /** Exceptions of the agent's own code, caught so the device keeps running. */
  internalErrors: number;
}

/** A snapshot of what the agent is doing. */
export interface AgentState {
  connected: boolean;
  activeSlot?: SlotName;
  activeArtifactId?: string;
  activeModelVersion?: string;
  /** The OTA session being downloaded (or waiting on disk for a resume). */
  otaSession?: number;
  downloading: boolean;
  received?: number;
  total?: number;
}

/** Events of a DeviceAgent, with their payloads. */
export interface DeviceAgentEvents {
  connected: { connects: number };
  disconnected: { connects: number };
  offer: OtaOffer;
  request: OtaChunkRequest;
  chunk: ChunkAcceptance;
  progress: OtaProgress;
  result: OtaResult;
  activated: { artifactId: string; modelVersion: string; slot: SlotName };
  telemetry: TelemetryWindow;
  samples: FieldSamples;
  status: StatusMessage;
  command: DeviceCommand;
  'bad-message': { channel: string; code: string; message: string };
  error: Error;
}

/** Fresh zeroed counters. */
export function emptyCounters(): AgentCounters {
  return {
    connects: 0,
    disconnects: 0,
    badMessages: 0,
    badMessagesByCode: {},
    offers: 0,
    requestsSent: 0,
    retryRounds: 0,
    chunksAccepted: 0,
    chunkBytesAccepted: 0,
    chunksRejected: { malformed: 0, corrupt: 0, session: 0, offset: 0, duplicate: 0 },
    chunksIgnored: 0,
    results: { activated: 0, refused: 0, failed: 0, rolled_back: 0 },
    inferences: 0,
    telemetrySent: 0,
    samplesSent: 0,
    commands: 0,
    internalErrors: 0,
  };
}
