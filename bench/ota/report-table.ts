// The OTA benchmark's tables and verdicts, as markdown (also printed to the console).
import type { OtaBenchRow } from './bench-case';
import { rowSucceeded } from './bench-case';
import type { ProfileSummary } from './cpu-profile';

/** Targets of the issue: time against the floor, and wire bytes against model bytes. */
export const TARGET_RATIO = 3;
export const TARGET_OVERHEAD = 0.05;

const s = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
const mib = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(0));

/** System time over floor time, when both finished. */
export function ratio(row: OtaBenchRow): number | undefined {
  const floor = row.floor && row.floor.completed === row.devices ? row.floor.ms : undefined;
  return floor !== undefined && row.system?.ms !== undefined ? row.system.ms / floor : undefined;
}

/** The median measured pass over the floor: steadier than the fastest pass on a noisy machine. */
export function medianRatio(row: OtaBenchRow): number | undefined {
  const floor = row.floor && row.floor.completed === row.devices ? row.floor.ms : undefined;
  const passes = (row.system?.passesMs ?? []).filter((ms): ms is number => ms !== undefined);
  if (floor === undefined || passes.length === 0) return undefined;
  const sorted = [...passes].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return median / floor;
}

function failures(row: OtaBenchRow): string {
  const sys = row.system;
  if (!sys) return row.error ? `error: ${row.error}` : '-';
  const c = sys.counts;
  const parts = [
    c.failed && `${c.failed} failed`,
    c.refused && `${c.refused} refused`,
    c.rolledBack && `${c.rolledBack} rolled back`,
    sys.lost && `${sys.lost} not activated`,
    sys.corrupted && `${sys.corrupted} corrupted`,
    sys.ms === undefined && 'over the cap',
    sys.deploymentStatus !== 'completed' &&
      `deployment ${sys.deploymentStatus} (${Object.entries(sys.sessions)
        .filter(([, n]) => n > 0)
        .map(([state, n]) => `${n} ${state}`)
        .join(', ')})`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '0';
}

/** broker, N, floor s, system s (fastest pass), every pass and the cold one, ratio, MB/s, wire overhead %, failures, server/broker/simulator MiB. */
export function resultTable(rows: readonly OtaBenchRow[]): string[] {
  const out = [
    '| broker | devices | floor s | system s | passes s (cold first) | system / floor | model MB/s | wire overhead (estimate) | failures | server MiB | broker MiB | simulator MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const row of rows) {
    const sys = row.system;
    const floor = row.floor;
    const r = ratio(row);
    const mbps = sys?.ms ? (row.devices * row.modelBytes) / 1e6 / (sys.ms / 1000) : undefined;
    const cells = [
      row.broker === 'aedes' ? 'aedes (embedded)' : 'Mosquitto',
      row.devices,
      floor
        ? floor.completed === row.devices
          ? s(floor.ms)
          : `${floor.completed}/${row.devices} in ${s(floor.ms)}`
        : '-',
      s(sys?.ms),
      sys ? `${sys.passesMs.map(s).join(', ')} (${s(sys.coldMs)})` : '-',
      r === undefined ? '-' : `${r.toFixed(2)}x`,
      mbps === undefined ? '-' : mbps.toFixed(1),
      sys ? `${(sys.overhead * 100).toFixed(2)}% (${(sys.estimatedOverhead * 100).toFixed(2)}%)` : '-',
      failures(row),
      mib(sys?.memory.serverPeakMiB),
      row.broker === 'aedes' ? 'in server' : mib(sys?.memory.brokerPeakMiB),
      mib(sys?.memory.simulatorPeakMiB),
    ];
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out;
}

function cpu(row: OtaBenchRow): string {
  const c = row.system?.cpu;
  if (!c) return '-';
  const f = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(1));
  return `${f(c.serverS)} / ${row.broker === 'aedes' ? 'in server' : f(c.brokerS)} / ${f(c.simulatorS)}`;
}

/** When each phase happened, from the devices' side, per row. */
export function phaseTable(rows: readonly OtaBenchRow[]): string[] {
  const out = [
    '| broker | devices | deployment created | first offer | last offer | first request | last chunk | last result | all activated | per device p50 / p95 | CPU s: server / broker / simulator | disconnects | retry rounds |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const p = row.system?.phases;
    if (!p || !row.system) continue;
    out.push(
      `| ${row.broker} | ${row.devices} | ${s(p.created)} | ${s(p.firstOffer)} | ${s(p.lastOffer)} | ${s(p.firstRequest)} | ` +
        `${s(p.lastChunk)} | ${s(p.lastResult)} | ${s(p.allActivated)} | ${s(p.deviceP50)} / ${s(p.deviceP95)} | ${cpu(row)} | ` +
        `${row.system.counts.disconnects} | ${row.system.counts.retryRounds} |`,
    );
  }
  return out;
}

/** One line per broker: the issue's targets at the reference size, and the largest size that passed. */
export function verdicts(rows: readonly OtaBenchRow[], reference: number): string[] {
  const out: string[] = [];
  for (const broker of [...new Set(rows.map((r) => r.broker))]) {
    const mine = rows.filter((r) => r.broker === broker);
    const ref = mine.find((r) => r.devices === reference);
    const largest = Math.max(0, ...mine.filter(rowSucceeded).map((r) => r.devices));
    const tried = Math.max(...mine.map((r) => r.devices));
    const head = `- ${broker === 'aedes' ? 'Embedded aedes' : 'Mosquitto'}`;
    if (!ref?.system) {
      out.push(`${head}: the ${reference}-device run did not produce a result (${ref?.error ?? 'not run'}).`);
      continue;
    }
    const r = ratio(ref);
    const m = medianRatio(ref);
    const all = rowSucceeded(ref)
      ? `all ${reference} activated and verified`
      : `NOT all activated (${failures(ref)})`;
    const time =
      r === undefined
        ? 'time vs floor not measured'
        : `${r.toFixed(2)}x the floor with the fastest pass, ${m?.toFixed(2) ?? '-'}x with the median one ` +
          `(target <= ${TARGET_RATIO}x, judged on the median: ${m !== undefined && m <= TARGET_RATIO ? 'met' : 'missed'})`;
    const wire = `wire overhead ${(ref.system.overhead * 100).toFixed(2)}% (target <= ${TARGET_OVERHEAD * 100}%: ${ref.system.overhead <= TARGET_OVERHEAD ? 'met' : 'missed'})`;
    const failed = mine.find((row) => !rowSucceeded(row));
    const activatedInCap = failed?.system
      ? `, ${failed.system.counts.activated} activated within the cap`
      : '';
    const scale =
      largest === tried && largest > 0
        ? `largest fleet tried, ${largest}, completed`
        : `largest fleet completed: ${largest || 'none'}` +
          (failed ? ` (${failed.devices} devices: ${failures(failed)}${activatedInCap})` : '');
    out.push(`${head}, ${reference} devices: ${all}; ${time}; ${wire}; ${scale}.`);
  }
  return out;
}

/** A process's top functions by self time, its time by source, and its own functions' inclusive time. */
export function profileTable(
  profile: ProfileSummary,
  windowMs: number,
  who: 'server' | 'simulator',
): string[] {
  const busy = profile.totalMs - profile.idleMs;
  const rows = (title: string, list: ProfileSummary['top']): string[] => [
    '',
    `| # | ${title} | ms | % of sampled |`,
    '|---:|---|---:|---:|',
    ...list.map(
      (r, i) =>
        `| ${i + 1} | \`${r.name.replace(/\|/g, '\\|')}\` | ${r.ms.toFixed(0)} | ${r.percent.toFixed(1)}% |`,
    ),
  ];
  return [
    `Sampled ${s(profile.totalMs)} s of the ${who}'s main thread during the deployment (${s(windowMs)} s wall): ` +
      `${s(busy)} s busy, ${s(profile.idleMs)} s idle (${((profile.idleMs / Math.max(1, profile.totalMs)) * 100).toFixed(0)}%). ` +
      '`(program)` is time V8 cannot attribute to a JavaScript function (native code' +
      (who === 'server' ? ", including the sqlite3 binding's main-thread work)." : ').'),
    ...rows('top 10 functions by self time (file:line)', profile.top),
    ...rows('self time by source', profile.bySource),
    ...rows(
      `${who === 'server' ? 'server (dist/apps/)' : 'device (dist/devices/)'} functions by inclusive time (synchronous callees included; awaited work is not)`,
      profile.ownInclusive,
    ),
  ];
}
