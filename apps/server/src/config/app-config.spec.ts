import { ConfigError, loadAppConfig } from './app-config';

describe(loadAppConfig.name, () => {
  it('applies the documented defaults', () => {
    const config = loadAppConfig({});
    expect(config.port).toBe(3000);
    expect(config.mqttPort).toBe(1883);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.mqttUrl).toBeUndefined();
    expect(config.adminToken).toBeUndefined();
  });

  it('reads every variable of the contract', () => {
    const config = loadAppConfig({
      PORT: '8080',
      MQTT_PORT: '0',
      DATA_DIR: '/var/lib/fleetprune',
      DATABASE_URL: 'postgres://fp:secret@db:5432/fleetprune',
      MQTT_URL: 'mqtt://emqx:1883',
      FLEETPRUNE_ADMIN_TOKEN: 'a-very-long-operator-token',
    });
    expect(config).toMatchObject({
      port: 8080,
      mqttPort: 0,
      dataDir: '/var/lib/fleetprune',
      databaseUrl: 'postgres://fp:secret@db:5432/fleetprune',
      mqttUrl: 'mqtt://emqx:1883',
      adminToken: 'a-very-long-operator-token',
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadAppConfig({ PORT: 'eighty', MQTT_PORT: '70000', DATABASE_URL: 'mysql://x', LOG_FORMAT: 'xml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT=/m);
    expect(problems).toMatch(/^MQTT_PORT=/m);
    expect(problems).toMatch(/^DATABASE_URL must use one of postgres:/m);
    expect(problems).toMatch(/^LOG_FORMAT=/m);
  });

  it('reads the OTA and MQTT scale-out settings, and refuses impossible ones', () => {
    const config = loadAppConfig({
      MQTT_URL: 'mqtt://broker:1883',
      MQTT_SHARED_GROUP: 'servers',
      OTA_SESSION_TIMEOUT_S: '2.5',
      MQTT_PUBLIC_URL: 'mqtts://fleet.example:8883',
    });
    expect(config).toMatchObject({
      mqttSharedGroup: 'servers',
      otaSessionTimeoutMs: 2500,
      mqttPublicUrl: 'mqtts://fleet.example:8883',
    });
    expect(loadAppConfig({}).otaSessionTimeoutMs).toBe(120_000);
    expect(() => loadAppConfig({ MQTT_SHARED_GROUP: 'servers' })).toThrow(/MQTT_SHARED_GROUP needs MQTT_URL/);
    expect(() => loadAppConfig({ MQTT_URL: 'mqtt://b', MQTT_SHARED_GROUP: 'a/b' })).toThrow(
      /MQTT_SHARED_GROUP must be/,
    );
    expect(() => loadAppConfig({ OTA_SESSION_TIMEOUT_S: '0' })).toThrow(/OTA_SESSION_TIMEOUT_S/);
  });

  it('reads telemetry, field-sample and closed-loop settings in their units', () => {
    expect(
      loadAppConfig({
        TELEMETRY_BUCKET_S: '1',
        TELEMETRY_RAW_RETENTION_H: '2',
        TELEMETRY_ROLLUP_RETENTION_D: '3',
        FIELD_SAMPLES_MAX_PER_PROFILE: '40',
        CLOSED_LOOP_TICK_S: '0.5',
      }),
    ).toMatchObject({
      telemetryBucketMs: 1000,
      telemetryRawRetentionMs: 2 * 3_600_000,
      telemetryRollupRetentionMs: 3 * 86_400_000,
      fieldSamplesPerProfile: 40,
      fieldSamplesPerDevice: 200,
      closedLoopTickMs: 500,
    });
    expect(() => loadAppConfig({ FIELD_SAMPLES_MAX_PER_DEVICE: '1.5' })).toThrow(
      /FIELD_SAMPLES_MAX_PER_DEVICE/,
    );
    expect(() =>
      loadAppConfig({ TELEMETRY_RAW_RETENTION_H: '100', TELEMETRY_ROLLUP_RETENTION_D: '1' }),
    ).toThrow(/at least as long/);
  });

  it('refuses a short admin token', () => {
    expect(() => loadAppConfig({ FLEETPRUNE_ADMIN_TOKEN: 'short' })).toThrow(/FLEETPRUNE_ADMIN_TOKEN/);
  });
});
