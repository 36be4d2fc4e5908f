/**
 * The ESP32 renderer: the project it writes is complete, refuses what it must, and its generated
 * files compile (g++, C99, and arm-none-eabi when present) and hold exactly the input.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, publicKeyPoint } from '@fleetprune/protocol';
import { packageMicroModel } from '@fleetprune/tflite';
import { FirmwareRenderError, renderEsp32Project, type FirmwareRenderInput } from '@fleetprune/firmware';
import { HAS_ARM, HAS_GCC, HOST, MODEL } from '../support/firmware/esp32-host';

jest.setTimeout(120_000);

describe(renderEsp32Project.name, () => {
  const tflite = new Uint8Array(readFileSync(MODEL));
  const { report } = packageMicroModel(tflite, { name: 'person_detect' });
  const keys = generateSigningKey();
  const input: FirmwareRenderInput = {
    artifactId: 'art-7f3a',
    modelVersion: 'person-1.0',
    tflite,
    report,
    mqttUrl: 'mqtt://192.168.1.10:1883',
    publicKeyPem: keys.publicKeyPem,
    device: { id: 'esp-01', password: 'p"a\\ss?\u00e9', profile: 'esp32-s3' },
  };
  let out: string;
  let files: Awaited<ReturnType<typeof renderEsp32Project>>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-render-'));
    rmSync(out, { recursive: true }); // the renderer creates a missing directory
    files = await renderEsp32Project(input, out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('copies the template, writes the generated files and returns what it wrote', () => {
    const paths = files.map((f) => f.path);
    for (const p of [
      'CMakeLists.txt',
      'partitions.csv',
      'sdkconfig.defaults',
      'main/CMakeLists.txt',
      'main/idf_component.yml',
      'main/Kconfig.projbuild',
      'main/fp_protocol/fp_ota.c',
    ])
      expect(paths).toContain(p);
    expect(
      files
        .filter((f) => f.generated)
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      ['fp_config.h', 'model_data.cc', 'model_data.h', 'op_resolver.h'].map((f) => `main/generated/${f}`),
    );
    for (const f of files) expect(readFileSync(join(out, f.path)).length).toBe(f.bytes);
    // Every source the ESP-IDF component lists exists in the rendered project.
    const cmake = readFileSync(join(out, 'main/CMakeLists.txt'), 'utf8');
    const code = cmake.replace(/#.*$/gm, '');
    for (const src of code.match(/[\w/]+\.(?:c|cc)\b/g) ?? [])
      expect(`${src} ${existsSync(join(out, 'main', src))}`).toBe(`${src} true`);
    // ...and every core file is listed, except the portable SHA-256 the device replaces.
    for (const f of readdirSync(join(out, 'main/fp_protocol')).filter((n) => n.endsWith('.c')))
      if (f !== 'fp_sha256_soft.c') expect(code).toContain(`fp_protocol/${f}`);
  });

  it('refuses a non-empty directory unless forced', async () => {
    await expect(renderEsp32Project(input, out)).rejects.toMatchObject({ code: 'OUT_DIR_NOT_EMPTY' });
    await expect(renderEsp32Project(input, out)).rejects.toBeInstanceOf(FirmwareRenderError);
    const again = await renderEsp32Project({ ...input, modelVersion: 'person-1.1' }, out, { force: true });
    expect(again.length).toBeGreaterThan(20);
    expect(readFileSync(join(out, 'main/generated/fp_config.h'), 'utf8')).toContain('"person-1.1"');
    await renderEsp32Project(input, out, { force: true });
  });

  it('refuses inputs the firmware could not put on the wire', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fleetprune-esp32-bad-'));
    await expect(renderEsp32Project({ ...input, artifactId: 'bad id' }, empty)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      renderEsp32Project({ ...input, device: { id: 'a/b', password: 'x', profile: 'p' } }, empty),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(readdirSync(empty)).toEqual([]);
    rmSync(empty, { recursive: true });
  });

  it('partition table holds two 1 MB model slots in 4 MB of flash; every CONFIG_FP_ the code uses is in Kconfig', () => {
    const rows = readFileSync(join(out, 'partitions.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(',').map((c) => c.trim()));
    const byName = new Map(rows.map((r) => [r[0], { offset: Number(r[3]), size: Number(r[4]) }]));
    for (const slot of ['model_a', 'model_b']) {
      expect(byName.get(slot)!.size).toBeGreaterThanOrEqual(1024 * 1024);
      expect(byName.get(slot)!.offset % 0x10000).toBe(0); // mmap pages
    }
    let end = 0x9000;
    for (const { offset, size } of byName.values()) {
      expect(offset).toBeGreaterThanOrEqual(end);
      end = offset + size;
    }
    expect(end).toBeLessThanOrEqual(4 * 1024 * 1024);
    const kconfig = readFileSync(join(out, 'main/Kconfig.projbuild'), 'utf8');
    const sources = readdirSync(join(out, 'main')).filter((f) => /\.(c|cc)$/.test(f));
    const used = new Set(
      sources.flatMap((f) => readFileSync(join(out, 'main', f), 'utf8').match(/CONFIG_FP_\w+/g) ?? []),
    );
    expect(used.size).toBeGreaterThan(3);
    for (const name of used) expect(kconfig).toContain(`config ${name.slice('CONFIG_'.length)}\n`);
  });

  (HAS_GCC ? it : it.skip)(
    'generated files compile with g++ and hold exactly the input; the C core compiles as C99',
    () => {
      const gen = join(out, 'main/generated');
      const exe = join(out, 'check_generated');
      execFileSync('g++', [
        '-std=c++17',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-I',
        gen,
        '-I',
        join(HOST, 'tflm-stub'),
        join(HOST, 'check_generated.cc'),
        join(gen, 'model_data.cc'),
        '-o',
        exe,
      ]);
      const lines = execFileSync(exe, { encoding: 'utf8', maxBuffer: 8 * tflite.length })
        .trim()
        .split('\n');
      const got = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(got).toEqual({
        key: Buffer.from(publicKeyPoint(keys.publicKeyPem)).toString('hex'),
        artifact: 'art-7f3a',
        version: 'person-1.0',
        arena: String(report.arenaBytes32),
        chunk: '8192',
        url: 'mqtt://192.168.1.10:1883',
        ops: report.ops.join(','),
        registered: `${report.ops.length} status=0`,
        capacity: String(report.ops.length),
        resolver_arena: String(report.arenaBytes32),
        aligned: '1',
        device: 'esp-01',
        password: 'p"a\\ss?\u00e9',
        profile: 'esp32-s3',
        model_bytes: String(tflite.length),
        model: Buffer.from(tflite).toString('hex'),
      });
      const core = join(out, 'main/fp_protocol');
      const cFiles = readdirSync(core)
        .filter((f) => f.endsWith('.c'))
        .map((f) => join(core, f));
      execFileSync('gcc', [
        '-std=c99',
        '-pedantic',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-fsyntax-only',
        ...cFiles,
      ]);
      // The same headers from C++ (model_runner.cc and any C++ application code include them).
      const headers = readdirSync(core).filter((f) => f.endsWith('.h'));
      const tu = join(out, 'headers.cc');
      writeFileSync(tu, headers.map((h) => `#include "${h}"`).join('\n') + '\nint main() { return 0; }\n');
      execFileSync('g++', ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-I', core, tu]);
    },
  );

  (HAS_ARM ? it : it.skip)('model data and the C core compile for a 32-bit MCU (arm-none-eabi)', () => {
    const obj = join(out, 'model_data_arm.o');
    mkdirSync(join(out, 'arm'), { recursive: true });
    execFileSync('arm-none-eabi-g++', [
      '-std=c++17',
      '-mcpu=cortex-m4',
      '-mthumb',
      '-Os',
      '-Wall',
      '-Werror',
      '-c',
      '-I',
      join(out, 'main/generated'),
      join(out, 'main/generated/model_data.cc'),
      '-o',
      obj,
    ]);
    expect(readFileSync(obj).length).toBeGreaterThan(tflite.length);
    // The protocol core on a 32-bit target with newlib (size_t and long are 32 bits, as on the ESP32).
    const core = join(out, 'main/fp_protocol');
    for (const f of readdirSync(core).filter((n) => n.endsWith('.c')))
      execFileSync('arm-none-eabi-gcc', [
        '-std=c99',
        '-pedantic',
        '-mcpu=cortex-m4',
        '-mthumb',
        '-Os',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-c',
        join(core, f),
        '-o',
        join(out, 'arm', `${f}.o`),
      ]);
  });
});
