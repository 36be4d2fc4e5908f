import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateSigningKey } from '@fleetprune/protocol';
import { packageMicroModel } from '@fleetprune/tflite';
import type { FirmwareRenderInput } from './firmware-render-input';
import { FIRMWARE_TARGETS, firmwareModelVersion } from './firmware-target';
import { renderFirmware, renderFirmwareFiles } from './render-firmware';

const MODEL = new Uint8Array(
  readFileSync(join(__dirname, '../../../../shared/testdata/tflite/hello_world_int8.tflite')),
);

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(root, join(dir, e.name)) : [relative(root, join(dir, e.name))],
  );
}

describe(renderFirmwareFiles.name, () => {
  const input: FirmwareRenderInput = {
    artifactId: 'art-1',
    modelVersion: 'hello-1',
    tflite: MODEL,
    report: packageMicroModel(MODEL, { name: 'hello' }).report,
    mqttUrl: 'mqtt://10.0.0.2:1883',
    publicKeyPem: generateSigningKey().publicKeyPem,
  };
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'fleetprune-render-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it.each(FIRMWARE_TARGETS)(
    '%s: holds exactly what renderFirmware writes, bytes and modes',
    async (target) => {
      const files = await renderFirmwareFiles(target, input);
      const written = await renderFirmware(target, input, out);
      expect(written.map((w) => w.path)).toEqual(files.map((f) => f.path));
      expect(filesUnder(out).sort()).toEqual(files.map((f) => f.path).sort());
      for (const f of files) {
        expect(readFileSync(join(out, f.path)).equals(Buffer.from(f.bytes))).toBe(true);
        expect(statSync(join(out, f.path)).mode & 0o777).toBe(f.mode);
      }
      expect(files.filter((f) => f.generated).length).toBeGreaterThanOrEqual(4);
    },
  );

  it('passes the profile limits to the Pi agent', async () => {
    const limits = { flashBytes: 1000, ramBytes: 2000, supportedOps: ['FULLY_CONNECTED'] };
    const files = await renderFirmwareFiles('rpi', input, { limits });
    const config = JSON.parse(Buffer.from(files.find((f) => f.path === 'config.json')!.bytes).toString());
    expect(config.profile).toMatchObject({
      flash_bytes: 1000,
      ram_bytes: 2000,
      supported_ops: ['FULLY_CONNECTED'],
    });
  });
});

describe(firmwareModelVersion.name, () => {
  it("uses the artifact's model version, else one made from its id", () => {
    expect(firmwareModelVersion('0123456789', { modelVersion: 'm-3' })).toBe('m-3');
    expect(firmwareModelVersion('0123456789', { modelVersion: 3 })).toBe('art-01234567');
  });
});
