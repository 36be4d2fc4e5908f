// The SVG plot of the telemetry benchmark: per broker, the rates of each pass and the latency CDF.
import { quantile } from './latency-probe';
import { BrokerRun, bareRate, fmt, serverRate, TARGET_P99_MS, TelemetryReport } from './report';

const W = 720;
const ROW_H = 300;

/** One broker's row of the plot, `top` pixels down. */
function brokerRow(r: BrokerRun, top: number): string[] {
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, anchor = 'start') =>
    parts.push(`<text x="${x}" y="${y}" font-size="11" text-anchor="${anchor}">${s}</text>`);
  // Left: rates.
  const rates = r.passes.flatMap((p) => [bareRate(p), serverRate(p)]);
  const max = Math.max(...rates) * 1.1;
  const [x0, y0, w, h] = [50, top + 260, 280, 220];
  text(x0, top + 20, `${r.broker}, ${r.devices} devices: msg/s per pass, grey bare, blue server`);
  r.passes.forEach((p, i) => {
    [bareRate(p), serverRate(p)].forEach((v, j) => {
      const bh = (v / max) * h;
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
  text(
    cx,
    top + 20,
    `publish-to-rollup latency CDF, ${fmt(r.latency.offeredPerS)} msg/s, p99 ${quantile(lat, 0.99).toFixed(0)} ms`,
  );
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
  return parts;
}

/** The whole plot, one row per broker. */
export function telemetrySvg(r: TelemetryReport): string {
  const H = ROW_H * r.runs.length;
  const rows = r.runs.flatMap((run, i) => brokerRow(run, i * ROW_H));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="#fff"/>${rows.join('')}</svg>\n`;
}
