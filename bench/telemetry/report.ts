// Tables, verdicts, the docs/benchmarks.md section and the SVG plot of the telemetry benchmark.
import { formatLoad, MachineInfo } from '../ota/machine';
import { LatencyResult, quantile } from './latency-probe';

export const TARGET_RATIO = 0.7;
export const TARGET_P99_MS = 1000;

export interface PassResult {
  pass: number;
  messages: number;
  bareMs: number;
  bareReceived: number;
  serverMs: number;
  serverStored: number;
}

export interface TelemetryReport {
  date: string;
  command: string;
  revision?: string;
  machine: MachineInfo;
  loadAtEnd: number[];
  devices: number;
  perDevice: number;
  payloadBytes: number;
  passes: PassResult[];
  latency: LatencyResult;
  pollMs: number;
  stored: { expected: number; raw: number; rollupWindows: number; rawSamples: number; rollupSamples: number };
  rejected: Record<string, number>;
  totalS: number;
}

const rate = (n: number, ms: number): number => n / (ms / 1000);
const fmt = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');

/** Per pass: bare rate, server rate, ratio. */
export function passTable(r: Pick<TelemetryReport, 'passes'>): string[] {
  const out = [
    '| pass | messages | bare subscriber msg/s | server stored msg/s | server / bare |',
    '|---:|---:|---:|---:|---:|',
  ];
  for (const p of r.passes) out.push(passRow(p));
  return out;
}

/** One pass as a table row. */
export function passRow(p: PassResult): string {
  const bare = rate(p.bareReceived, p.bareMs);
  const server = rate(p.serverStored, p.serverMs);
  return `| ${p.pass} | ${p.messages} | ${fmt(bare)} | ${fmt(server)} | ${((100 * server) / bare).toFixed(0)}% |`;
}

/** Latency distribution of the paced phase. */
export function latencyTable(l: LatencyResult): string[] {
  const q = (x: number) => quantile(l.latenciesMs, x).toFixed(0);
  return [
    '| offered msg/s | sent | queryable | p50 ms | p90 ms | p99 ms | max ms | polls |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(l.offeredPerS)} | ${l.sent} | ${l.confirmed} | ${q(0.5)} | ${q(0.9)} | ${q(0.99)} | ${q(1)} | ${l.polls} |`,
  ];
}

/** The target checks, one line each. */
export function verdicts(r: TelemetryReport): string[] {
  const ratios = r.passes.map((p) => rate(p.serverStored, p.serverMs) / rate(p.bareReceived, p.bareMs));
  const worst = Math.min(...ratios);
  const p99 = quantile(r.latency.latenciesMs, 0.99);
  const lost = r.stored.expected - r.stored.raw;
  return [
    `- Ingestion / bare rate, worst pass: **${(100 * worst).toFixed(0)}%** (target >= ${100 * TARGET_RATIO}%): ${worst >= TARGET_RATIO ? 'met' : 'NOT met'}.`,
    `- Publish-to-queryable-rollup p99: **${p99.toFixed(0)} ms** (target < ${TARGET_P99_MS} ms): ${p99 < TARGET_P99_MS && r.latency.confirmed === r.latency.sent ? 'met' : 'NOT met'}.`,
    `- Stored: ${r.stored.raw} raw windows of ${r.stored.expected} published (${lost === 0 ? 'none lost' : `${lost} LOST`}); rollups count ${r.stored.rollupWindows} windows and ${r.stored.rollupSamples} samples (raw: ${r.stored.rawSamples})${r.stored.rollupWindows === r.stored.raw && r.stored.rollupSamples === r.stored.rawSamples ? ', equal' : ', DIFFERENT'}; rejected by the server: ${Object.keys(r.rejected).length === 0 ? 'none' : JSON.stringify(r.rejected)}.`,
  ];
}

/** The markdown body between the telemetry-benchmark markers. */
export function telemetrySection(r: TelemetryReport, svgPath?: string): string {
  const m = r.machine;
  return [
    '## Telemetry ingestion (`bench/telemetry.ts`)',
    '',
    `${r.date}, ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(0)} GiB RAM, Node ${m.node.replace(/^v/, '')}; ` +
      `load average ${formatLoad(m.load)} at the start and ${formatLoad(r.loadAtEnd)} at the end (the machine is ` +
      `shared with other jobs; ${r.totalS.toFixed(0)} s for the whole run). Command: \`${r.command}\`` +
      (r.revision ? ` at ${r.revision}.` : '.'),
    '',
    `The real server in its own process (as \`npm start\` runs it: embedded aedes broker, SQLite in a fresh temp ` +
      `dir, LOG_LEVEL=warn, 60 s rollup buckets). ${r.devices} devices registered through the API, one mqtt.js ` +
      `connection each in the benchmark process, each reporting the uploaded artifact as active. Each pass, every ` +
      `device publishes ${r.perDevice} QoS 1 telemetry windows (${r.payloadBytes} B JSON) without waiting between ` +
      `them (${r.perDevice} is the server's per-device burst, so nothing is rate-limited). **Bare**: the same ` +
      'bytes from the same connections through the same broker, on a sibling topic (`…/<id>/bench`) the server ' +
      "does not read, to a bare mqtt.js subscriber in its own process holding the server's broker credentials; " +
      'time from the first publish to its last message. **Server**: the windows on `…/<id>/telemetry`; time from ' +
      'the first publish until GET /api/telemetry/stats counts them all stored (polled every 10 ms); the counts are ' +
      'then checked in the SQLite file itself. **Latency**: devices publish at a steady rate (stamping the send ' +
      'time); a poller reads GET /api/telemetry/summary?groupBy=device every ' +
      `${r.pollMs} ms, and a window counts as queryable when the answer that ` +
      'first includes it arrives (an upper bound: poll interval and query time included).',
    '',
    ...passTable(r),
    '',
    ...latencyTable(r.latency),
    '',
    ...verdicts(r),
    ...(svgPath ? ['', `![telemetry benchmark](${svgPath.replace(/^docs\//, '')})`] : []),
  ].join('\n');
}

/** Bars of bare and server rates per pass, and the latency CDF. */
export function telemetrySvg(r: TelemetryReport): string {
  const W = 720;
  const H = 300;
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, anchor = 'start') =>
    parts.push(`<text x="${x}" y="${y}" font-size="11" text-anchor="${anchor}">${s}</text>`);
  // Left: rates.
  const rates = r.passes.flatMap((p) => [rate(p.bareReceived, p.bareMs), rate(p.serverStored, p.serverMs)]);
  const top = Math.max(...rates) * 1.1;
  const [x0, y0, w, h] = [50, 260, 280, 220];
  text(x0, 20, 'msg/s per pass: grey bare subscriber, blue server');
  r.passes.forEach((p, i) => {
    [rate(p.bareReceived, p.bareMs), rate(p.serverStored, p.serverMs)].forEach((v, j) => {
      const bh = (v / top) * h;
      const x = x0 + i * (w / r.passes.length) + j * 40 + 10;
      parts.push(
        `<rect x="${x}" y="${y0 - bh}" width="36" height="${bh}" fill="${j ? '#3b6fd1' : '#999'}"/>`,
      );
      text(x + 18, y0 - bh - 4, fmt(v), 'middle');
    });
    text(x0 + i * (w / r.passes.length) + 48, y0 + 14, `pass ${p.pass}`, 'middle');
  });
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + w}" y2="${y0}" stroke="#000"/>`);
  // Right: latency CDF.
  const lat = r.latency.latenciesMs;
  const maxMs = Math.max(TARGET_P99_MS, lat[lat.length - 1] ?? 0);
  const [cx, cw] = [400, 290];
  text(cx, 20, `publish-to-rollup latency CDF, ${fmt(r.latency.offeredPerS)} msg/s`);
  const pts = lat.map(
    (v, i) => `${(cx + (v / maxMs) * cw).toFixed(1)},${(y0 - ((i + 1) / lat.length) * h).toFixed(1)}`,
  );
  if (pts.length)
    parts.push(`<polyline fill="none" stroke="#3b6fd1" stroke-width="2" points="${pts.join(' ')}"/>`);
  const xt = cx + (TARGET_P99_MS / maxMs) * cw;
  parts.push(`<line x1="${xt}" y1="${y0 - h}" x2="${xt}" y2="${y0}" stroke="#c33" stroke-dasharray="4 3"/>`);
  text(xt, y0 - h - 4, '1 s', 'middle');
  parts.push(`<line x1="${cx}" y1="${y0}" x2="${cx + cw}" y2="${y0}" stroke="#000"/>`);
  parts.push(`<line x1="${cx}" y1="${y0}" x2="${cx}" y2="${y0 - h}" stroke="#000"/>`);
  text(cx, y0 + 14, '0 ms');
  text(cx + cw, y0 + 14, `${maxMs.toFixed(0)} ms`, 'end');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="#fff"/>${parts.join('')}</svg>\n`;
}
