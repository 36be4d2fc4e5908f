import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '../codec/read-model';
import { estimateArena } from '../planner/estimate-arena';
import { emitCArray } from './emit-c-array';
import { emitOpResolver, usedBuiltinOps } from './emit-op-resolver';

const MODEL = join(__dirname, '../../../../../shared/testdata/tflite/person_detect.tflite');
const STUB = join(__dirname, 'fixtures/tflm-stub');
const CHECK = join(__dirname, 'fixtures/check_model.cc');

function compilerPresent(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ARM = 'arm-none-eabi-g++';
const HAS_ARM = compilerPresent(ARM);
if (!HAS_ARM)
  console.warn(`${ARM} not found: skipping the Cortex-M compile (apt-get install -y gcc-arm-none-eabi).`);

describe('emitted C++ (emitCArray + emitOpResolver)', () => {
  const bytes = new Uint8Array(readFileSync(MODEL));
  const model = readModel(bytes);
  const arena = estimateArena(model, { pointerBytes: 4 }).total;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetprune-emit-'));
    const { header, source } = emitCArray(bytes, { name: 'person_detect' });
    writeFileSync(join(dir, 'model_data.h'), header);
    writeFileSync(join(dir, 'model_data.cc'), source);
    writeFileSync(
      join(dir, 'op_resolver.h'),
      emitOpResolver(model, { arenaBytes: arena, name: 'person_detect' }),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const defines = [
    '-DFLEETPRUNE_ARRAY=person_detect',
    '-DFLEETPRUNE_ARRAY_LEN=person_detect_len',
    '-DFLEETPRUNE_RESOLVER=PersonDetectOpResolver',
    '-DFLEETPRUNE_REGISTER=RegisterPersonDetectOps',
    '-DFLEETPRUNE_ARENA=kPersonDetectArenaSize',
  ];

  it('builds with g++ -std=c++17 and the program sees the exact bytes, 16-aligned, every op registered', () => {
    const exe = join(dir, 'check');
    const flags = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-I', dir, '-I', STUB, ...defines];
    execFileSync('g++', [...flags, '-c', join(dir, 'model_data.cc'), '-o', join(dir, 'model_data.o')]);
    execFileSync('g++', [...flags, CHECK, join(dir, 'model_data.o'), '-o', exe]);
    const [aligned, status, hex] = execFileSync(exe, { encoding: 'utf8', maxBuffer: 4 * bytes.length })
      .trim()
      .split('\n');
    expect(aligned).toBe('aligned=1');
    expect(status).toBe(`status=0 registered=${usedBuiltinOps(model).length} arena=${arena}`);
    expect(hex).toBe(Buffer.from(bytes).toString('hex'));
  }, 60_000);

  (HAS_ARM ? it : it.skip)(
    'compiles for Cortex-M4 with arm-none-eabi-g++, array in .rodata aligned to 16',
    () => {
      const obj = join(dir, 'model_data_arm.o');
      const flags = [
        '-std=c++17',
        '-mcpu=cortex-m4',
        '-mthumb',
        '-Os',
        '-fno-exceptions',
        '-fno-rtti',
        '-Wall',
        '-Werror',
        '-I',
        dir,
        '-I',
        STUB,
      ];
      execFileSync(ARM, [...flags, '-c', join(dir, 'model_data.cc'), '-o', obj]);
      execFileSync(ARM, [...flags, ...defines, '-fsyntax-only', '-x', 'c++', '-'], {
        input:
          '#include "op_resolver.h"\nint f() { PersonDetectOpResolver r; return RegisterPersonDetectOps(r) + kPersonDetectArenaSize; }\n',
      });
      const symbols = execFileSync('arm-none-eabi-readelf', ['-sW', obj], { encoding: 'utf8' });
      const symbol = symbols
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .find((f) => f[7] === 'person_detect');
      expect(symbol).toBeDefined();
      const [, value, size] = symbol!;
      expect(Number(size)).toBe(bytes.length);
      expect(parseInt(value, 16) % 16).toBe(0);
      const sections = execFileSync('arm-none-eabi-objdump', ['-h', obj], { encoding: 'utf8' });
      const rodata = sections.split('\n').find((l) => /\s\.rodata\s/.test(l));
      expect(rodata?.trim().split(/\s+/).pop()).toBe('2**4');
    },
    60_000,
  );
});
