import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeCpuProfile } from './cpu-profile';

// A real profile: a script that spends ~300 ms in `spinHot` (called from `caller`) and ~100 ms in
// `spinCold`, and prints the monotonic window around spinHot.
const SCRIPT = `
function spin(ms) { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; }
function spinHot() { return spin(300); }
function spinCold() { return spin(100); }
function caller() { return spinHot(); }
spinCold();
const from = Number(process.hrtime.bigint() / 1000n);
caller();
const to = Number(process.hrtime.bigint() / 1000n);
console.log(JSON.stringify({ from, to }));
`;

describe(summarizeCpuProfile.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetprune-cpuprof-'));
  let profile: string;
  let window: { from: number; to: number };

  beforeAll(() => {
    const script = join(dir, 'app', 'work.js');
    mkdirSync(join(dir, 'app'));
    writeFileSync(script, SCRIPT);
    const out = execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script], {
      encoding: 'utf8',
    });
    window = JSON.parse(out) as { from: number; to: number };
    profile = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) as string);
  }, 20_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks functions by self time, by source, and own functions by inclusive time', () => {
    const s = summarizeCpuProfile(profile, { root: dir, ownPrefix: 'app/' });
    // spin's self time is spent on behalf of both callers; Date.now is native, so allow for it.
    expect(s.top[0].name).toMatch(/^(spin \(app\/work\.js:2\)|now)$/);
    const inclusive = Object.fromEntries(s.ownInclusive.map((r) => [r.name.split(' ')[0], r.ms]));
    expect(inclusive.spinHot).toBeGreaterThan(200);
    expect(inclusive.spinCold).toBeGreaterThan(50);
    expect(inclusive.spinCold).toBeLessThan(inclusive.spinHot);
    // caller only calls spinHot, so their inclusive times are the same samples.
    expect(inclusive.caller).toBeCloseTo(inclusive.spinHot, 0);
    expect(s.bySource.map((r) => r.name)).toContain('app/work.js');
    expect(s.totalMs).toBeGreaterThanOrEqual(s.idleMs);
  });

  it('counts only the samples inside a monotonic-clock window', () => {
    const all = summarizeCpuProfile(profile, { root: dir, ownPrefix: 'app/' });
    const inside = summarizeCpuProfile(profile, {
      root: dir,
      ownPrefix: 'app/',
      fromUs: window.from,
      toUs: window.to,
    });
    const names = inside.ownInclusive.map((r) => r.name.split(' ')[0]);
    expect(names).toContain('spinHot');
    expect(names).not.toContain('spinCold');
    // The window is ~300 ms of a longer run; its sampled time matches its wall time within a few samples.
    expect(inside.totalMs).toBeGreaterThan((window.to - window.from) / 1000 - 20);
    expect(inside.totalMs).toBeLessThan(all.totalMs);
  });
});
