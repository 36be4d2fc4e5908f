import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

// Only the pieces the dashboard draws: line and scatter charts on linear axes (the time axis is
// linear epoch ms with our own tick labels, so no date adapter is needed).
Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';

export { Chart };
