import { isValidDeviceId } from '@fleetprune/protocol';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { FirmwareRenderError } from '../firmware-render-error';

/** What the agent reads in place of credentials that were not given; it refuses to start on it. */
export const RPI_PLACEHOLDER = 'CHANGE-ME';

/** Profile limits written into config.json (the agent refuses offers above them). */
export interface RpiProfileLimits {
  flashBytes: number;
  ramBytes: number;
  /** TFLite builtins the device may run; null lets the agent use its runtime's list. */
  supportedOps: string[] | null;
}

export const DEFAULT_RPI_PROFILE_LIMITS: Readonly<RpiProfileLimits> = Object.freeze({
  flashBytes: 64 * 1024 * 1024,
  ramBytes: 256 * 1024 * 1024,
  supportedOps: null,
});

const ARTIFACT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const VERSION = /^[\x21-\x7e]{1,64}$/;

/** The marker the agent's slots.py reads: slot a active and verified, holding the factory model. */
export function rpiActiveMarker(input: FirmwareRenderInput, sha256: string): Record<string, unknown> {
  return {
    v: 1,
    active: 'a',
    confirmed: true,
    slots: {
      a: {
        artifactId: input.artifactId,
        modelVersion: input.modelVersion,
        sha256,
        size: input.tflite.length,
        arenaBytes: input.report.arenaBytes,
      },
    },
  };
}

/** config.json of the agent (keys as fleetprune_agent/config.py documents them). */
export function rpiAgentConfig(
  input: FirmwareRenderInput,
  limits: RpiProfileLimits,
): Record<string, unknown> {
  if (!ARTIFACT_ID.test(input.artifactId) || !VERSION.test(input.modelVersion))
    throw new FirmwareRenderError(
      'INVALID_INPUT',
      `artifact id ${JSON.stringify(input.artifactId)} or model version ${JSON.stringify(input.modelVersion)} is not valid in protocol v1`,
    );
  if (input.device && !isValidDeviceId(input.device.id))
    throw new FirmwareRenderError(
      'INVALID_INPUT',
      `device id ${JSON.stringify(input.device.id)} must be 1-64 of A-Z a-z 0-9 _ -`,
    );
  if (input.device && !/^[\x20-\x7e]{1,64}$/.test(input.device.profile))
    throw new FirmwareRenderError(
      'INVALID_INPUT',
      'device profile name must be 1-64 printable ASCII characters',
    );
  if (!/^(mqtts?|tcp|ssl):\/\/[^/\s]+/.test(input.mqttUrl))
    throw new FirmwareRenderError(
      'INVALID_INPUT',
      `mqttUrl ${JSON.stringify(input.mqttUrl)} must look like mqtt://host:1883`,
    );
  const config: Record<string, unknown> = {
    mqtt_url: input.mqttUrl,
    device_id: input.device?.id ?? RPI_PLACEHOLDER,
    password: input.device?.password ?? RPI_PLACEHOLDER,
    profile: {
      name: input.device?.profile ?? 'rpi',
      flash_bytes: limits.flashBytes,
      ram_bytes: limits.ramBytes,
      supported_ops: limits.supportedOps,
    },
    state_dir: 'state',
    public_key_file: 'signing-public.pem',
    samples: { dir: '/usr/share/datasets/fashion-mnist' },
    intervals: { inference_ms: 1000, telemetry_s: 60, status_s: 300 },
  };
  if (!input.device)
    config._comment = `set device_id and password (now ${RPI_PLACEHOLDER}) to the credentials the server issued; see README.md`;
  return config;
}

/** The systemd unit that runs the agent from `installDir` and restarts it on failure. */
export function rpiSystemdUnit(installDir: string, user: string): string {
  return [
    '[Unit]',
    'Description=fleetprune device agent (OTA model updates and telemetry over MQTT)',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${user}`,
    `WorkingDirectory=${installDir}`,
    `ExecStart=/usr/bin/python3 -m fleetprune_agent --config ${installDir}/config.json`,
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
