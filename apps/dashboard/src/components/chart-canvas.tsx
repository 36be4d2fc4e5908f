import { useEffect, useRef } from 'preact/hooks';
import type { ChartConfiguration } from 'chart.js';
import { Chart } from '../charts/chart-setup';

/**
 * A Chart.js chart on a canvas: created once, then updated in place (no animation) when
 * `config` changes, so live data does not flicker or leak charts.
 */
export function ChartCanvas(props: { config: ChartConfiguration; label: string; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, props.config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data = props.config.data;
    if (props.config.options) current.options = props.config.options;
    current.update('none');
  }, [props.config]);

  return (
    <div class="chart" data-testid={props.testId}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
