import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  DEFAULT_FIRMWARE_PROFILE,
  FirmwareRenderInput,
  firmwareModelVersion,
  isFirmwareTarget,
  renderFirmware,
} from '@fleetprune/firmware';
import type { MicroExportReport } from '@fleetprune/tflite';
import { CliError, ServerClient, ServerOptions } from '../server-client';
import { withServerOptions } from './server-options';

interface FirmwareOptions extends ServerOptions {
  artifact: string;
  target: string;
  out: string;
  profile?: string;
  deviceId?: string;
  devicePassword?: string;
  force?: boolean;
}

interface ProfileView {
  name: string;
  flashBytes: number;
  ramBytes: number;
  supportedOps: string[];
}

/** `fleetprune firmware`: an ESP-IDF project or a Raspberry Pi agent with an artifact baked in. */
export function firmwareCommand(): Command {
  return withServerOptions(new Command('firmware'))
    .description('render device firmware embedding a tflite artifact, the signing key and the broker address')
    .requiredOption('--artifact <id>', 'tflite artifact id (the factory model)')
    .requiredOption('--target <target>', 'esp32 (ESP-IDF project) | rpi (Python agent)')
    .requiredOption('--out <dir>', 'output directory (must be empty unless --force)')
    .option('--profile <name>', 'device profile whose limits the device enforces (default esp32 / rpi-4)')
    .option('--device-id <id>', 'bake in this device id (else set it in menuconfig / config.json)')
    .option('--device-password <password>', 'and its MQTT password')
    .option('--force', 'overwrite files in a non-empty --out')
    .action(async (opts: FirmwareOptions) => {
      const target = opts.target;
      if (!isFirmwareTarget(target)) throw new CliError(`--target must be esp32 or rpi, got "${target}"`);
      if ((opts.deviceId === undefined) !== (opts.devicePassword === undefined))
        throw new CliError('--device-id and --device-password go together');
      const client = new ServerClient(opts);
      const id = encodeURIComponent(opts.artifact);
      const [artifact, provisioning, tflite, report] = await Promise.all([
        client.request<{ kind: string; metadata: Record<string, unknown> }>('GET', `/api/artifacts/${id}`),
        client.request<{ mqttUrl: string; publicKeyPem: string }>('GET', '/api/ota/provisioning'),
        client.download(`/api/artifacts/${id}/files/model.tflite`),
        client.download(`/api/artifacts/${id}/files/report.json`),
      ]);
      const profileName = opts.profile ?? DEFAULT_FIRMWARE_PROFILE[target];
      const profile = await client.request<ProfileView>(
        'GET',
        `/api/profiles/${encodeURIComponent(profileName)}`,
      );
      const input: FirmwareRenderInput = {
        artifactId: opts.artifact,
        modelVersion: firmwareModelVersion(opts.artifact, artifact.metadata),
        tflite,
        report: JSON.parse(report.toString('utf8')) as MicroExportReport,
        mqttUrl: provisioning.mqttUrl,
        publicKeyPem: provisioning.publicKeyPem,
        device: opts.deviceId
          ? { id: opts.deviceId, password: opts.devicePassword as string, profile: profile.name }
          : undefined,
      };
      const out = resolve(opts.out);
      const written = await renderFirmware(target, input, out, {
        force: opts.force ?? false,
        limits: {
          flashBytes: profile.flashBytes,
          ramBytes: profile.ramBytes,
          supportedOps: profile.supportedOps,
        },
      });
      console.error(`rendered ${written.length} files for ${target} (${profile.name}) into ${out}`);
      console.log(out);
    });
}
