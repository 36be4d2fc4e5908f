// A small bar chart of system time against floor time, per broker and fleet size, drawn by hand.
import type { OtaBenchRow } from './bench-case';
import { TARGET_RATIO } from './report-table';

const COLORS = { floor: '#7f7f7f', aedes: '#1f77b4', mosquitto: '#2ca02c' };

/** Seconds per (broker, N): grey floor bar, coloured system bar, dashed 3x-floor target. */
export function otaSvg(rows: readonly OtaBenchRow[]): string {
  const W = 800;
  const H = 380;
  const m = { left: 60, right: 20, top: 40, bottom: 70 };
  const bars = rows.map((r) => ({
    label: `${r.broker === 'aedes' ? 'aedes' : 'mosq.'} ${r.devices}`,
    floor: r.floor && r.floor.completed === r.devices ? r.floor.ms / 1000 : undefined,
    system: r.system?.ms !== undefined ? r.system.ms / 1000 : undefined,
    color: COLORS[r.broker],
  }));
  const step = niceStep(
    Math.max(1, ...bars.flatMap((b) => [b.system ?? 0, (b.floor ?? 0) * TARGET_RATIO])) / 5,
  );
  const top =
    step *
    Math.ceil(Math.max(1, ...bars.flatMap((b) => [b.system ?? 0, (b.floor ?? 0) * TARGET_RATIO])) / step);
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const py = (v: number): number => H - m.bottom - (v / top) * plotH;
  const group = plotW / Math.max(1, bars.length);
  const barW = Math.min(40, group / 3);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14">OTA of one model to N devices: time to all activated vs the floor</text>`,
    `<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`,
    `<text x="14" y="${H / 2 + 30}" transform="rotate(-90 14 ${H / 2 + 30})">seconds</text>`,
  ];
  for (let v = 0; v <= top + step / 2; v += step) {
    parts.push(`<line x1="${m.left}" y1="${py(v)}" x2="${W - m.right}" y2="${py(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 8}" y="${py(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
  }
  bars.forEach((b, i) => {
    const x = m.left + i * group + group / 2;
    if (b.floor !== undefined) {
      parts.push(rect(x - barW, py(b.floor), barW, H - m.bottom - py(b.floor), COLORS.floor));
      const target = py(b.floor * TARGET_RATIO);
      parts.push(
        `<line x1="${x - barW - 4}" y1="${target}" x2="${x + barW + 4}" y2="${target}" stroke="#d62728" stroke-dasharray="4 3"/>`,
      );
    }
    if (b.system !== undefined) parts.push(rect(x, py(b.system), barW, H - m.bottom - py(b.system), b.color));
    else
      parts.push(
        `<text x="${x + barW / 2}" y="${H - m.bottom - 6}" fill="#d62728" font-size="10" text-anchor="middle">no result</text>`,
      );
    parts.push(`<text x="${x}" y="${H - m.bottom + 16}" text-anchor="middle">${b.label}</text>`);
  });
  const legend: [string, string][] = [
    ['floor: bare mqtt.js clients', COLORS.floor],
    ['system, embedded aedes', COLORS.aedes],
    ['system, Mosquitto', COLORS.mosquitto],
  ];
  legend.forEach(([text, color], i) => {
    const x = m.left + i * 190;
    parts.push(rect(x, H - 30, 10, 10, color), `<text x="${x + 15}" y="${H - 21}">${text}</text>`);
  });
  const tx = m.left + 3 * 190;
  parts.push(
    `<line x1="${tx}" y1="${H - 25}" x2="${tx + 12}" y2="${H - 25}" stroke="#d62728" stroke-dasharray="4 3"/>`,
    `<text x="${tx + 17}" y="${H - 21}">${TARGET_RATIO}x floor (target)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function rect(x: number, y: number, w: number, h: number, fill: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}"/>`;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((k) => k * power).find((k) => k >= raw) ?? 10 * power;
}
