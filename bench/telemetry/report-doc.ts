// The docs/benchmarks.md section of the telemetry benchmark.
import { formatLoad } from '../ota/machine';
import { latencyTable, passTable, summaryTable, TelemetryReport, verdicts } from './report';

/** The markdown body between the telemetry-benchmark markers. */
export function telemetrySection(r: TelemetryReport, svgPath?: string): string {
  const m = r.machine;
  const passes = r.runs[0]?.passes.length ?? 0;
  const out = [
    '## Telemetry ingestion (`bench/telemetry.ts`)',
    '',
    `${r.date}, ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(0)} GiB RAM, Node ${m.node.replace(/^v/, '')}; ` +
      'the machine is shared with other jobs (their CPU use is measured per pass below). Command: ' +
      `\`${r.command}\`` +
      (r.revision ? ` at ${r.revision}.` : '.'),
    '',
    'The real server in its own process (as `npm start` runs it: SQLite in a fresh temp dir, LOG_LEVEL=warn, ' +
      '60 s rollup buckets) with its embedded aedes broker, or joined to a fresh Mosquitto 2 (MQTT_URL; anonymous, no ACL, a per-client queue deep enough for two passes, so a slower subscriber waits instead of losing messages). ' +
      'Each fleet size is its own run (fresh server and broker): its devices are registered through the API, one mqtt.js connection each in the benchmark process, ' +
      `each reporting the uploaded artifact as active. Each pass, every device publishes ${r.perDevice} QoS 1 ` +
      `telemetry windows (${r.runs[0]?.payloadBytes ?? '?'} B JSON) without waiting between them (${r.perDevice} is the server's ` +
      'per-device burst, so nothing is rate-limited): the same offered load, payloads encoded before the clock ' +
      'starts. **Bare**: the same bytes from the same connections through the same broker, on a sibling topic ' +
      '(`…/<id>/bench`) the server does not read, to a bare mqtt.js subscriber in its own process holding the ' +
      "server's broker credentials, on the terms the server gets them: QoS 0 from aedes (the server's in-process " +
      "link has no acknowledgements; a QoS 1 subscriber would also meet aedes's per-subscriber in-flight list, " +
      'searched linearly on every PUBACK, whose cost grows with the burst and spilled into the next pass), ' +
      'QoS 1 from Mosquitto (as the server subscribes); time from the first publish to its last message. ' +
      '**Server**: the windows ' +
      'on `…/<id>/telemetry`; time from the first publish until GET /api/telemetry/stats counts them all stored ' +
      '(polled every 10 ms); the counts are then checked in the SQLite file itself. Bare and server passes ' +
      `alternate; one warm-up pair runs first and is not counted, then ${passes} counted pairs. **CPU**: from ` +
      '/proc, the server process per message (with aedes it also runs the broker), and the cores that every ' +
      "other process on the machine (not this benchmark's) kept busy during the pass. **Latency**: the first " +
      '1,000 devices at most (`--latency-devices`) publish at a steady rate (stamping the send time); a poller reads GET /api/telemetry/summary?groupBy=device ' +
      `every ${r.pollMs} ms, and a window counts as queryable when the answer that first includes it arrives ` +
      '(an upper bound: poll interval and query time included).',
  ];
  for (const run of r.runs) {
    out.push(
      '',
      `### ${run.broker === 'aedes' ? 'Embedded aedes' : 'Mosquitto'}, ${run.devices} devices (${run.devices * r.perDevice} messages per pass)`,
      '',
      `Load average ${formatLoad(run.loadAtStart)} at the start and ${formatLoad(run.loadAtEnd)} at the end; ` +
        `${run.totalS.toFixed(0)} s for this broker's run.`,
      '',
      ...passTable(run),
      '',
      ...summaryTable(run),
      '',
      ...latencyTable(run.latency),
      '',
      ...verdicts(run),
    );
  }
  if (svgPath) out.push('', `![telemetry benchmark](${svgPath.replace(/^docs\//, '')})`);
  return out.join('\n');
}
