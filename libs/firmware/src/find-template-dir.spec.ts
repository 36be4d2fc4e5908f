import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FirmwareRenderError } from './firmware-render-error';
import { findTemplateDir } from './find-template-dir';

describe(findTemplateDir.name, () => {
  const repo = resolve(__dirname, '../../..');

  it('finds each template from the sources (ts-jest)', () => {
    expect(findTemplateDir('esp32')).toBe(join(repo, 'firmware-templates', 'esp32'));
    expect(findTemplateDir('rpi')).toBe(join(repo, 'firmware-templates', 'rpi'));
  });

  it('finds it from the built lib in dist/ (server and CLI after npm run build)', () => {
    // The path need not exist: the walk only looks at the folders above it.
    expect(findTemplateDir('rpi', join(repo, 'dist/libs/firmware/src'))).toBe(
      join(repo, 'firmware-templates', 'rpi'),
    );
  });

  it('needs package.json beside firmware-templates/ (an installed package), else says where it looked', () => {
    const root = mkdtempSync(join(tmpdir(), 'fleetprune-templates-'));
    try {
      const lib = join(root, 'node_modules/fleetprune/dist/libs/firmware/src');
      mkdirSync(lib, { recursive: true });
      mkdirSync(join(root, 'node_modules/fleetprune/firmware-templates/esp32'), { recursive: true });
      expect(() => findTemplateDir('esp32', lib)).toThrow(FirmwareRenderError);
      writeFileSync(join(root, 'node_modules/fleetprune/package.json'), '{}');
      expect(findTemplateDir('esp32', lib)).toBe(
        join(root, 'node_modules/fleetprune/firmware-templates/esp32'),
      );
      expect(() => findTemplateDir('no-such-board', lib)).toThrow(
        expect.objectContaining({ code: 'TEMPLATE_NOT_FOUND', message: expect.stringContaining(lib) }),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
