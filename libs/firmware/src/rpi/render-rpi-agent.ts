import { createHash } from 'node:crypto';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { findTemplateDir } from '../find-template-dir';
import type { FirmwareFile } from '../firmware-file';
import type { RenderedFile } from '../rendered-file';
import { readTemplateFiles } from '../template-files';
import { writeFirmwareFiles } from '../write-firmware-files';
import {
  DEFAULT_RPI_PROFILE_LIMITS,
  RpiProfileLimits,
  rpiActiveMarker,
  rpiAgentConfig,
  rpiSystemdUnit,
} from './rpi-agent-config';

/** Options of `renderRpiAgent`, merged over `DEFAULT_RPI_RENDER_OPTIONS`. */
export interface RpiRenderOptions {
  /** Write into a non-empty outDir, overwriting files of the same name. */
  force: boolean;
  /** Template folder; default firmware-templates/rpi of this repository. */
  templateDir?: string;
  /** Where the unit file expects the rendered folder on the Pi. */
  installDir: string;
  /** User the service runs as. */
  user: string;
  limits: RpiProfileLimits;
}

export const DEFAULT_RPI_RENDER_OPTIONS: Readonly<RpiRenderOptions> = Object.freeze({
  force: false,
  installDir: '/opt/fleetprune-agent',
  user: 'fleetprune',
  limits: DEFAULT_RPI_PROFILE_LIMITS,
});

/** One file written, relative to outDir; `generated` is false for template copies. */
export type RpiRenderedFile = RenderedFile;

// Bytecode caches stay behind; the unit tests (tests/) are not copied at all.
const skipped = (name: string): boolean => name === '__pycache__' || name.endsWith('.pyc');

/**
 * Every file of the Raspberry Pi agent for one artifact, in memory: the Python package and its
 * README from the template, then config.json, the signing key, the factory slot with its
 * marker and the systemd unit.
 */
export async function renderRpiFiles(
  input: FirmwareRenderInput,
  opts: Partial<Omit<RpiRenderOptions, 'force'>> = {},
): Promise<FirmwareFile[]> {
  const o: RpiRenderOptions = { ...DEFAULT_RPI_RENDER_OPTIONS, ...opts };
  // Validates the input before anything is read.
  const config = rpiAgentConfig(input, o.limits);
  const template = o.templateDir ?? findTemplateDir('rpi');
  const copied = [
    ...(await readTemplateFiles(template, skipped, 'fleetprune_agent')),
    ...(await readTemplateFiles(template, (name) => name !== 'README.md')),
  ];
  const sha256 = createHash('sha256').update(input.tflite).digest('hex');
  const pem = input.publicKeyPem.endsWith('\n') ? input.publicKeyPem : `${input.publicKeyPem}\n`;
  const generated: [string, string | Uint8Array][] = [
    ['config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['signing-public.pem', pem],
    ['state/slot-a.tflite', input.tflite],
    ['state/active.json', `${JSON.stringify(rpiActiveMarker(input, sha256))}\n`],
    ['fleetprune-agent.service', rpiSystemdUnit(o.installDir, o.user)],
  ];
  return [
    ...copied,
    ...generated.map(([path, content]): FirmwareFile => ({
      path,
      bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
      mode: 0o644,
      generated: true,
    })),
  ];
}

/**
 * Renders a ready-to-copy Raspberry Pi agent into `outDir` (see `renderRpiFiles`). Without
 * `input.device` the credentials are placeholders the agent refuses to start on. Refuses a
 * non-empty outDir unless `force`.
 */
export async function renderRpiAgent(
  input: FirmwareRenderInput,
  outDir: string,
  opts: Partial<RpiRenderOptions> = {},
): Promise<RpiRenderedFile[]> {
  const o: RpiRenderOptions = { ...DEFAULT_RPI_RENDER_OPTIONS, ...opts };
  return writeFirmwareFiles(outDir, await renderRpiFiles(input, o), o.force);
}
