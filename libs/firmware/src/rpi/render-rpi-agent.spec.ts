import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@fleetprune/protocol';
import type { MicroExportReport } from '@fleetprune/tflite';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { renderRpiAgent } from './render-rpi-agent';
import { RPI_PLACEHOLDER } from './rpi-agent-config';

const MODEL = readFileSync(join(__dirname, '../../../../../shared/testdata/tflite/hello_world_int8.tflite'));
const REPORT: MicroExportReport = {
  name: 'hello',
  flashBytes: MODEL.length,
  arenaBytes: 2048,
  arenaBytes32: 1900,
  ops: ['FULLY_CONNECTED'],
  input: { shape: [1, 1], quantization: { scale: 0.0245, zeroPoint: -128 } },
  output: { shape: [1, 1], quantization: { scale: 0.0085, zeroPoint: 4 } },
  perChannelDense: false,
};

function input(device?: FirmwareRenderInput['device']): FirmwareRenderInput {
  return {
    artifactId: 'art-1',
    modelVersion: 'hello-1',
    tflite: MODEL,
    report: REPORT,
    mqttUrl: 'mqtt://192.168.1.10:1883',
    publicKeyPem: generateSigningKey().publicKeyPem,
    device,
  };
}

describe(renderRpiAgent.name, () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'rpi-render-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('writes the package, config, key, factory slot with its marker and a systemd unit', async () => {
    const files = await renderRpiAgent(input({ id: 'pi-7', password: 's3cret', profile: 'rpi4' }), out);
    const paths = files.map((f) => f.path);
    for (const p of ['config.json', 'signing-public.pem', 'state/slot-a.tflite', 'state/active.json'])
      expect(paths).toContain(p);
    expect(paths).toContain('fleetprune_agent/agent.py');
    expect(paths.some((p) => p.includes('__pycache__'))).toBe(false);
    expect(existsSync(join(out, 'tests'))).toBe(false);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      mqtt_url: 'mqtt://192.168.1.10:1883',
      device_id: 'pi-7',
      password: 's3cret',
      profile: { name: 'rpi4' },
      public_key_file: 'signing-public.pem',
    });
    expect(config._comment).toBeUndefined();
    expect(readFileSync(join(out, 'state/slot-a.tflite')).equals(MODEL)).toBe(true);
    const marker = JSON.parse(readFileSync(join(out, 'state/active.json'), 'utf8'));
    expect(marker).toEqual({
      v: 1,
      active: 'a',
      confirmed: true,
      slots: {
        a: {
          artifactId: 'art-1',
          modelVersion: 'hello-1',
          sha256: createHash('sha256').update(MODEL).digest('hex'),
          size: MODEL.length,
          arenaBytes: 2048,
        },
      },
    });
    const unit = readFileSync(join(out, 'fleetprune-agent.service'), 'utf8');
    expect(unit).toContain(
      'ExecStart=/usr/bin/python3 -m fleetprune_agent --config /opt/fleetprune-agent/config.json',
    );
    expect(unit).toContain('Restart=on-failure');
  });

  it('leaves placeholders and says so when no device credentials are given', async () => {
    await renderRpiAgent(input(), out);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.device_id).toBe(RPI_PLACEHOLDER);
    expect(config.password).toBe(RPI_PLACEHOLDER);
    expect(config._comment).toMatch(/device_id and password/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(RPI_PLACEHOLDER);
  });

  it('refuses a non-empty directory unless forced', async () => {
    writeFileSync(join(out, 'keep.txt'), 'x');
    await expect(renderRpiAgent(input(), out)).rejects.toMatchObject({ code: 'OUT_DIR_NOT_EMPTY' });
    expect(readdirSync(out)).toEqual(['keep.txt']);
    await renderRpiAgent(input(), out, { force: true });
    expect(readdirSync(out)).toContain('config.json');
  });

  it('refuses ids the protocol would refuse', async () => {
    await expect(
      renderRpiAgent(input({ id: 'pi/#', password: 'x', profile: 'p' }), out),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(renderRpiAgent({ ...input(), artifactId: 'bad id' }, out)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(readdirSync(out)).toEqual([]);
  });
});
