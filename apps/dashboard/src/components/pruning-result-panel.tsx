import type { PruningJobResult } from '../api/types';
import { bytes, percent } from '../format';
import { AccuracySizeChart } from './accuracy-size-chart';
import { ArtifactDownloads } from './artifact-downloads';

/** One profile's outcome: fit, sizes, accuracies, the accuracy-vs-size plot and the downloads. */
export function PruningResultPanel(props: { result: PruningJobResult }) {
  const { result } = props;
  const r = result.report;
  return (
    <section class="result" aria-label={`Result for ${result.profile}`}>
      <h4>
        {result.profile}:{' '}
        {result.fits ? (
          <span class="badge fits">fits</span>
        ) : (
          <span class="badge misfit">does not fit: {result.reasons.join('; ')}</span>
        )}
      </h4>
      <div class="columns">
        <div>
          <dl class="facts">
            <dt>Parameters</dt>
            <dd>
              {r.params ? `${r.params.before.toLocaleString()} → ${r.params.after.toLocaleString()}` : '—'}
            </dd>
            <dt>.tflite size</dt>
            <dd>{r.tflite ? `${bytes(r.tflite.bytesBefore)} → ${bytes(r.tflite.bytes)}` : '—'}</dd>
            <dt>Tensor arena</dt>
            <dd>{bytes(r.tflite?.arenaBytes)}</dd>
            <dt>Validation accuracy</dt>
            <dd>{r.validation ? `${percent(r.validation.before)} → ${percent(r.validation.after)}` : '—'}</dd>
            <dt>Test accuracy (int8)</dt>
            <dd>
              {r.test
                ? `${percent(r.test.before.int8)} → ${percent(r.test.after.int8)} (${r.test.count} images)`
                : '—'}
            </dd>
          </dl>
          <ArtifactDownloads artifactId={result.artifactId} />
        </div>
        <AccuracySizeChart result={result} />
      </div>
    </section>
  );
}
