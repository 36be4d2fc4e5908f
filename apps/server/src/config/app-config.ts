import { resolve } from 'node:path';

/** Everything the server reads from its environment, parsed and checked once at boot. */
export interface AppConfig {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Embedded broker's MQTT port; 0 picks a free one. Ignored when `mqttUrl` is set. */
  mqttPort: number;
  mqttHost: string;
  dataDir: string;
  /** PostgreSQL connection string; SQLite in `dataDir` when absent. */
  databaseUrl: string | undefined;
  /** External broker; the embedded aedes broker runs when absent. */
  mqttUrl: string | undefined;
  /** The server's own credentials on an external broker (MQTT_USERNAME / MQTT_PASSWORD). */
  mqttUsername: string | undefined;
  mqttPassword: string | undefined;
  /** Operator token from the environment; generated and stored in `dataDir` when absent. */
  adminToken: string | undefined;
  /**
   * MQTT 5 shared-subscription group for the stateless consumers (telemetry), so several
   * replicas on an external broker split the load (MQTT_SHARED_GROUP; external broker only).
   */
  mqttSharedGroup: string | undefined;
  /** Broker address handed to devices at provisioning (MQTT_PUBLIC_URL); derived when absent. */
  mqttPublicUrl: string | undefined;
  /** Whether this replica runs the OTA engine (OTA_ENGINE=on|off); exactly one replica should. */
  otaEngine: boolean;
  /** An OTA session with no request or result for this long is offered again (OTA_SESSION_TIMEOUT_S). */
  otaSessionTimeoutMs: number;
  /** Length of a telemetry rollup bucket (TELEMETRY_BUCKET_S, default 60). */
  telemetryBucketMs: number;
  /** Raw telemetry windows older than this are deleted (TELEMETRY_RAW_RETENTION_H, default 168). */
  telemetryRawRetentionMs: number;
  /** Rollup buckets older than this are deleted (TELEMETRY_ROLLUP_RETENTION_D, default 365). */
  telemetryRollupRetentionMs: number;
  /** Field samples kept per profile; the oldest go first (FIELD_SAMPLES_MAX_PER_PROFILE, default 5000). */
  fieldSamplesPerProfile: number;
  /** Field samples kept per device (FIELD_SAMPLES_MAX_PER_DEVICE, default 200). */
  fieldSamplesPerDevice: number;
  /** How often the closed loop re-evaluates drift policies and canaries (CLOSED_LOOP_TICK_S, default 10). */
  closedLoopTickMs: number;
  logFormat: 'pretty' | 'json';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) {
    problems.push(`${name}=${JSON.stringify(raw)} is not a port number (0-65535; 0 picks a free port)`);
    return fallback;
  }
  return value;
}

function url(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL (expected e.g. ${protocols[0]}//host:port)`);
    return undefined;
  }
  if (!protocols.includes(parsed.protocol)) {
    problems.push(`${name} must use one of ${protocols.join(', ')}, got ${parsed.protocol}`);
    return undefined;
  }
  return raw;
}

function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
    return fallback;
  }
  return raw as T;
}

function seconds(env: Env, name: string, fallback: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || value <= 0 || value > max) {
    problems.push(`${name}=${JSON.stringify(raw)} must be a number of seconds in (0, ${max}]`);
    return fallback * 1000;
  }
  return Math.round(value * 1000);
}

function count(env: Env, name: string, fallback: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    problems.push(`${name}=${JSON.stringify(raw)} must be a whole number in [1, ${max}]`);
    return fallback;
  }
  return value;
}

/** Parses the environment; throws ConfigError listing every bad variable by name. */
export function loadAppConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const adminToken = env.FLEETPRUNE_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push(
      'FLEETPRUNE_ADMIN_TOKEN must be at least 16 characters (or unset it to have one generated)',
    );
  }
  const config: AppConfig = {
    port: port(env, 'PORT', 3000, problems),
    host: env.HOST || '0.0.0.0',
    mqttPort: port(env, 'MQTT_PORT', 1883, problems),
    mqttHost: env.MQTT_HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems),
    mqttUrl: url(env, 'MQTT_URL', ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:'], problems),
    mqttUsername: env.MQTT_USERNAME || undefined,
    mqttPassword: env.MQTT_PASSWORD || undefined,
    adminToken,
    mqttSharedGroup: env.MQTT_SHARED_GROUP || undefined,
    mqttPublicUrl: url(env, 'MQTT_PUBLIC_URL', ['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:'], problems),
    otaEngine: oneOf(env, 'OTA_ENGINE', ['on', 'off'] as const, 'on', problems) === 'on',
    otaSessionTimeoutMs: seconds(env, 'OTA_SESSION_TIMEOUT_S', 120, 86_400, problems),
    telemetryBucketMs: seconds(env, 'TELEMETRY_BUCKET_S', 60, 86_400, problems),
    telemetryRawRetentionMs: seconds(env, 'TELEMETRY_RAW_RETENTION_H', 168, 87_600, problems) * 3600,
    telemetryRollupRetentionMs: seconds(env, 'TELEMETRY_ROLLUP_RETENTION_D', 365, 36_500, problems) * 86_400,
    fieldSamplesPerProfile: count(env, 'FIELD_SAMPLES_MAX_PER_PROFILE', 5000, 1_000_000, problems),
    fieldSamplesPerDevice: count(env, 'FIELD_SAMPLES_MAX_PER_DEVICE', 200, 100_000, problems),
    closedLoopTickMs: seconds(env, 'CLOSED_LOOP_TICK_S', 10, 3600, problems),
    logFormat: oneOf(env, 'LOG_FORMAT', ['pretty', 'json'] as const, 'pretty', problems),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const, 'log', problems),
  };
  if (config.mqttSharedGroup !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.mqttSharedGroup))
      problems.push('MQTT_SHARED_GROUP must be 1-64 of A-Z a-z 0-9 _ -');
    if (!config.mqttUrl)
      problems.push(
        'MQTT_SHARED_GROUP needs MQTT_URL: the embedded aedes broker has no shared subscriptions',
      );
  }
  if (config.telemetryRollupRetentionMs < config.telemetryRawRetentionMs)
    problems.push(
      'TELEMETRY_ROLLUP_RETENTION_D must keep rollups at least as long as TELEMETRY_RAW_RETENTION_H keeps raw windows',
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
