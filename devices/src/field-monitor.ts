import { createRng } from '@fleetprune/datasets';
import { FieldSample, MAX_SAMPLE_BYTES, TelemetryWindow } from '@fleetprune/protocol';
import { Classifier } from './classifier';
import { SampleCursor } from './sample-source';
import { MeasuredModel, TelemetryAccumulator } from './telemetry-accumulator';

/** The model the monitor runs and what telemetry says about it. */
export interface MonitoredModel extends MeasuredModel {
  classifier: Classifier;
}

/** One inference the device ran, kept for `upload-samples`. */
export interface InferenceRecord {
  pixels: Uint8Array;
  shape: [number, number, number];
  label?: number;
  predicted: number;
  confidence: number;
  latencyMs: number;
  capturedAt: number;
}

/** What a FieldMonitor needs. */
export interface FieldMonitorDeps {
  /** Where inputs come from; without one the device sees unlabelled noise images. */
  cursor?: SampleCursor;
  now(): number;
  /** Seeds the noise images of a device without a sample source. */
  seed: number;
  /** Recent inferences kept for upload-samples (default 32). */
  keepRecent?: number;
  /** A window is ready to publish (telemetry timer, model change, or a full window). */
  onWindow(window: Omit<TelemetryWindow, 'seq'>): void;
  onInference?(record: InferenceRecord): void;
}

/**
 * The device's field loop: takes the next sample, runs the active model on it, and
 * accumulates telemetry windows that close on a timer or when the model changes.
 */
export class FieldMonitor {
  private model: MonitoredModel | undefined;
  private readonly window: TelemetryAccumulator;
  private readonly recent: InferenceRecord[] = [];
  private readonly noise: () => number;
  private inferenceTimer: NodeJS.Timeout | undefined;
  private telemetryTimer: NodeJS.Timeout | undefined;
  inferences = 0;

  constructor(private readonly deps: FieldMonitorDeps) {
    this.window = new TelemetryAccumulator(deps.now());
    this.noise = createRng(deps.seed);
  }

  /** Switches the running model; the window of the old one is closed first. */
  setModel(model: MonitoredModel | undefined): void {
    this.closeWindow();
    this.model = model;
    this.window.reset(this.deps.now());
  }

  /** Runs one inference on the next sample; undefined without a model. */
  inferOnce(): InferenceRecord | undefined {
    const model = this.model;
    if (!model) return undefined;
    const { pixels, shape, label } = this.nextInput(model.classifier);
    const result = model.classifier.classify(pixels, shape);
    const record: InferenceRecord = { pixels, shape, label, ...result, capturedAt: this.deps.now() };
    this.inferences++;
    this.window.record(result.predicted, result.confidence, result.latencyMs, label);
    this.recent.push(record);
    if (this.recent.length > (this.deps.keepRecent ?? 32)) this.recent.shift();
    this.deps.onInference?.(record);
    if (this.window.full) this.closeWindow();
    return record;
  }

  /** Publishes the current window (if it measured anything) and starts a new one. */
  closeWindow(): void {
    const model = this.model;
    if (!model || this.window.count === 0) return;
    const { seq: _seq, ...window } = this.window.close(model, 0, this.deps.now());
    this.deps.onWindow(window);
  }

  /** Starts (or restarts) the timers; 0 disables that loop. */
  schedule(inferenceIntervalMs: number, telemetryIntervalMs: number): void {
    this.stopTimers();
    if (inferenceIntervalMs > 0)
      this.inferenceTimer = setInterval(() => this.inferOnce(), inferenceIntervalMs);
    if (telemetryIntervalMs > 0)
      this.telemetryTimer = setInterval(() => this.closeWindow(), telemetryIntervalMs);
  }

  stopTimers(): void {
    if (this.inferenceTimer) clearInterval(this.inferenceTimer);
    if (this.telemetryTimer) clearInterval(this.telemetryTimer);
    this.inferenceTimer = this.telemetryTimer = undefined;
  }

  /** Up to `max` recent inferences as `samples` items (newest first). */
  recentSamples(max: number, misclassifiedOnly: boolean): FieldSample[] {
    const picked: FieldSample[] = [];
    for (let i = this.recent.length - 1; i >= 0 && picked.length < max; i--) {
      const r = this.recent[i];
      if (misclassifiedOnly && (r.label === undefined || r.label === r.predicted)) continue;
      if (r.pixels.length > MAX_SAMPLE_BYTES) continue;
      const item: FieldSample = {
        predicted: r.predicted,
        confidence: r.confidence,
        shape: [...r.shape],
        dtype: 'uint8',
        data: Buffer.from(r.pixels).toString('base64'),
        capturedAt: r.capturedAt,
      };
      if (r.label !== undefined) item.label = r.label;
      picked.push(item);
    }
    return picked;
  }

  private nextInput(classifier: Classifier): {
    pixels: Uint8Array;
    shape: [number, number, number];
    label?: number;
  } {
    const cursor = this.deps.cursor;
    if (cursor) {
      const sample = cursor.next();
      const source = cursor.source;
      const [h, w, c] = source.shape;
      // A label only means something when the model classifies this source's images.
      const matches =
        classifier.classCount === source.classNames.length && classifier.inputElements === h * w * c;
      return { pixels: sample.pixels, shape: [h, w, c], label: matches ? sample.label : undefined };
    }
    const shape = classifier.imageShape();
    const pixels = new Uint8Array(shape[0] * shape[1] * shape[2]);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(this.noise() * 256);
    return { pixels, shape };
  }
}
