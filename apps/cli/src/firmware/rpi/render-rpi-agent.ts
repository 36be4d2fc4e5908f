import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { findTemplateDir } from '../find-template-dir';
import { checkOutDir } from '../check-out-dir';
import type { RenderedFile } from '../rendered-file';
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

/**
 * Renders a ready-to-copy Raspberry Pi agent: the Python package, config.json, the signing
 * public key, the factory model as state/slot-a.tflite with its active marker, and a systemd
 * unit. Without `input.device` the credentials are placeholders the agent refuses to start on.
 */
export async function renderRpiAgent(
  input: FirmwareRenderInput,
  outDir: string,
  opts: Partial<RpiRenderOptions> = {},
): Promise<RpiRenderedFile[]> {
  const o: RpiRenderOptions = { ...DEFAULT_RPI_RENDER_OPTIONS, ...opts };
  const template = o.templateDir ?? findTemplateDir('rpi');
  const config = rpiAgentConfig(input, o.limits);
  await checkOutDir(outDir, o.force);
  await mkdir(join(outDir, 'state'), { recursive: true });
  const written: RpiRenderedFile[] = [];
  // Bytecode caches and the unit tests stay behind; the device needs only the package.
  await cp(join(template, 'fleetprune_agent'), join(outDir, 'fleetprune_agent'), {
    recursive: true,
    force: true,
    filter: (src) => !src.includes('__pycache__') && !src.endsWith('.pyc'),
  });
  await cp(join(template, 'README.md'), join(outDir, 'README.md'), { force: true });
  for (const name of (await readdir(join(outDir, 'fleetprune_agent'))).sort())
    written.push({
      path: `fleetprune_agent/${name}`,
      bytes: (await stat(join(outDir, 'fleetprune_agent', name))).size,
      generated: false,
    });
  written.push({ path: 'README.md', bytes: (await stat(join(outDir, 'README.md'))).size, generated: false });
  const sha256 = createHash('sha256').update(input.tflite).digest('hex');
  const files: [string, string | Uint8Array][] = [
    ['config.json', `${JSON.stringify(config, null, 2)}\n`],
    [
      'signing-public.pem',
      input.publicKeyPem.endsWith('\n') ? input.publicKeyPem : `${input.publicKeyPem}\n`,
    ],
    ['state/slot-a.tflite', input.tflite],
    ['state/active.json', `${JSON.stringify(rpiActiveMarker(input, sha256))}\n`],
    ['fleetprune-agent.service', rpiSystemdUnit(o.installDir, o.user)],
  ];
  for (const [path, content] of files) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    await writeFile(join(outDir, path), bytes);
    written.push({ path, bytes: bytes.length, generated: true });
  }
  return written;
}
