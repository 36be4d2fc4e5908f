import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { clockTime } from '../format';
import { ChartCanvas } from './chart-canvas';

/** One line of a time series: epoch-ms x values. */
export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

/** Lines over time on a linear epoch-ms axis with clock-time ticks. */
export function TimeSeriesChart(props: {
  title: string;
  series: Series[];
  yLabel: string;
  yMin?: number;
  yMax?: number;
  formatY?: (y: number) => string;
  testId?: string;
}) {
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        datasets: props.series.map((s) => ({
          label: s.label,
          data: s.points,
          borderColor: s.color,
          backgroundColor: s.color,
          pointRadius: 2,
          borderWidth: 2,
          tension: 0.2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', ticks: { callback: (v) => clockTime(Number(v)), maxTicksLimit: 6 } },
          y: {
            type: 'linear',
            min: props.yMin,
            max: props.yMax,
            title: { display: true, text: props.yLabel },
            ticks: props.formatY ? { callback: (v) => props.formatY!(Number(v)) } : {},
          },
        },
        plugins: {
          legend: { display: props.series.length > 1 },
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? clockTime(items[0].parsed.x ?? 0) : ''),
            },
          },
        },
      },
    }),
    [props.series, props.yMin, props.yMax, props.yLabel],
  );
  return (
    <figure class="chart-figure">
      <figcaption>{props.title}</figcaption>
      <ChartCanvas config={config} label={`${props.title} chart`} testId={props.testId} />
    </figure>
  );
}
