import { formatDuration, ProgressBar } from './progress-bar';

describe(ProgressBar.name, () => {
  it('redraws one line in place on a terminal and ends it on finish', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (t) => out.push(t), interactive: true, width: 10 });
    bar.update(0, 4, 'regularize', 12);
    bar.update(2, 4, 'prune params 1200', 65);
    bar.finish();
    expect(out[0]).toBe('\r[----------]   0% regularize ETA 12 s\x1b[K');
    expect(out[1]).toBe('\r[#####-----]  50% prune params 1200 ETA 1 min 05 s\x1b[K');
    expect(out[2]).toBe('\n');
  });

  it('prints a line per tenth of the run without a terminal, and no ETA at 100%', () => {
    const out: string[] = [];
    const bar = new ProgressBar({ write: (t) => out.push(t), interactive: false, width: 4 });
    for (let step = 0; step <= 100; step++) bar.update(step, 100, 'x', 5);
    expect(out).toHaveLength(11);
    expect(out[10]).toBe('[####] 100% x\n');
  });

  it('formats durations for humans', () => {
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(3599)).toBe('59 min 59 s');
    expect(formatDuration(7322)).toBe('2 h 02 min');
  });
});
