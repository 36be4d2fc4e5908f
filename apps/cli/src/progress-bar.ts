/** Where a progress bar writes; defaults to stderr so stdout stays clean for results. */
export interface ProgressBarOptions {
  readonly write?: (text: string) => void;
  /** Redraw in place with `\r` (a terminal) or print a line every `lineEvery` of the run. */
  readonly interactive?: boolean;
  readonly lineEvery?: number;
  readonly width?: number;
}

/** A one-line text progress bar with a label and ETA, for long training and pruning runs. */
export class ProgressBar {
  private readonly write: (text: string) => void;
  private readonly interactive: boolean;
  private readonly lineEvery: number;
  private readonly width: number;
  private lastLine = -1;
  private drawn = false;

  constructor(options: ProgressBarOptions = {}) {
    this.write = options.write ?? ((text) => void process.stderr.write(text));
    this.interactive = options.interactive ?? Boolean(process.stderr.isTTY);
    this.lineEvery = options.lineEvery ?? 0.1;
    this.width = options.width ?? 30;
  }

  /** Shows `done / total` with a label such as "prune  params 120k  val 91.2%" and the ETA. */
  update(done: number, total: number, label: string, etaSeconds?: number): void {
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    const filled = Math.round(fraction * this.width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}]`;
    const eta = etaSeconds !== undefined && fraction < 1 ? ` ETA ${formatDuration(etaSeconds)}` : '';
    const line = `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${label}${eta}`;
    if (this.interactive) {
      this.write(`\r${line}\x1b[K`);
      this.drawn = true;
      return;
    }
    // Without a terminal, one line per step of `lineEvery` keeps logs readable.
    const bucket = Math.floor(fraction / this.lineEvery);
    if (bucket > this.lastLine) {
      this.lastLine = bucket;
      this.write(`${line}\n`);
    }
  }

  /** Ends the bar's line so later output starts on a fresh one. */
  finish(): void {
    if (this.interactive && this.drawn) this.write('\n');
    this.drawn = false;
  }
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
