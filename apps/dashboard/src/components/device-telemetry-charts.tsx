import { useMemo, useState } from 'preact/hooks';
import type { RollupPoint } from '../api/types';
import { useSession } from '../live/app-context';
import { useLiveResource } from '../live/use-live-resource';
import { ErrorNote } from './error-note';
import { Series, TimeSeriesChart } from './time-series-chart';

const RANGES = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3600_000 },
  { label: '24 h', ms: 86_400_000 },
];

/** Accuracy and latency of one device over time, from its telemetry rollups. */
export function DeviceTelemetryCharts(props: { deviceId: string }) {
  const { api } = useSession();
  const [range, setRange] = useState(RANGES[0].ms);
  const rollups = useLiveResource(
    () => api.rollups(props.deviceId, Date.now() - range),
    [props.deviceId, range],
    ['telemetry'],
    (u) => u.ids?.includes(props.deviceId) ?? true,
  );
  const points = useMemo(
    () => [...(rollups.data ?? [])].sort((a, b) => a.bucketStart - b.bucketStart),
    [rollups.data],
  );
  const accuracy = useMemo<Series[]>(
    () => [{ label: 'accuracy', color: '#2563eb', points: line(points, (p) => p.accuracy) }],
    [points],
  );
  const latency = useMemo<Series[]>(
    () => [
      { label: 'mean', color: '#16a34a', points: line(points, (p) => p.latencyMeanMs) },
      { label: 'p95 (max)', color: '#ea580c', points: line(points, (p) => p.latencyP95MaxMs) },
    ],
    [points],
  );

  return (
    <section aria-labelledby="telemetry-heading">
      <h2 id="telemetry-heading">Accuracy and latency</h2>
      <span class="field">
        <label for="telemetry-range">Range</label>
        <select
          id="telemetry-range"
          value={range}
          onChange={(e) => setRange(Number((e.target as HTMLSelectElement).value))}
        >
          {RANGES.map((r) => (
            <option key={r.ms} value={r.ms}>
              {r.label}
            </option>
          ))}
        </select>
      </span>
      <ErrorNote error={rollups.error} />
      <p class="muted" data-testid="telemetry-buckets" data-count={points.length}>
        {points.length} time bucket(s) with telemetry in range.
      </p>
      <div class="charts">
        <TimeSeriesChart
          title="Field accuracy (labelled samples)"
          series={accuracy}
          yLabel="accuracy"
          yMin={0}
          yMax={1}
          formatY={(y) => `${Math.round(y * 100)}%`}
          testId="accuracy-chart"
        />
        <TimeSeriesChart
          title="Inference latency"
          series={latency}
          yLabel="ms"
          yMin={0}
          testId="latency-chart"
        />
      </div>
    </section>
  );
}

function line(points: RollupPoint[], value: (p: RollupPoint) => number | null): { x: number; y: number }[] {
  return points.flatMap((p) => {
    const y = value(p);
    return y === null ? [] : [{ x: p.bucketStart, y }];
  });
}
