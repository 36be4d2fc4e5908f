import { useMemo } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import type { PruningJobResult } from '../api/types';
import { ChartCanvas } from './chart-canvas';

/**
 * Validation accuracy against parameter count for every round of the pruning run (the
 * report's history), rolled-back rounds apart, and the model that was chosen.
 */
export function AccuracySizeChart(props: { result: PruningJobResult }) {
  const { report, profile } = props.result;
  const config = useMemo<ChartConfiguration>(() => {
    const history = report.history ?? [];
    const point = (h: { params: number; valAccuracy: number }) => ({ x: h.params, y: h.valAccuracy });
    const chosen =
      report.params && report.validation ? [{ x: report.params.after, y: report.validation.after }] : [];
    return {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'kept rounds',
            data: history.filter((h) => h.accepted).map(point),
            borderColor: '#2563eb',
            backgroundColor: '#2563eb',
            showLine: true,
            pointRadius: 3,
          },
          {
            label: 'rolled back',
            data: history.filter((h) => !h.accepted).map(point),
            borderColor: '#9ca3af',
            backgroundColor: '#9ca3af',
            pointStyle: 'crossRot',
            pointRadius: 5,
          },
          {
            label: 'chosen',
            data: chosen,
            borderColor: '#dc2626',
            backgroundColor: '#dc2626',
            pointStyle: 'star',
            pointRadius: 10,
            borderWidth: 2,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', reverse: true, title: { display: true, text: 'parameters' } },
          y: {
            type: 'linear',
            title: { display: true, text: 'validation accuracy' },
            ticks: { callback: (v) => `${(Number(v) * 100).toFixed(1)}%` },
          },
        },
      },
    };
  }, [report]);
  return (
    <figure class="chart-figure">
      <figcaption>Accuracy vs size, {profile}</figcaption>
      <ChartCanvas config={config} label={`Accuracy versus size for ${profile}`} />
    </figure>
  );
}
