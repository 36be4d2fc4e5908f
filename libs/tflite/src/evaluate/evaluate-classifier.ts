import { Interpreter } from '../interpreter/interpreter';
import type { TfliteModel } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';

/** Labelled uint8 images, row-major, `pixels` values each (libs/datasets' ImageSet fits). */
export interface LabelledImages {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface EvaluateOptions {
  /** Real input value per pixel unit: 1/255 for models trained on x/255 (the default). */
  pixelScale?: number;
  /** Called every `progressEvery` images with (done, total). */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

export interface ClassifierEvaluation {
  accuracy: number;
  correct: number;
  count: number;
  predictions: Uint8Array;
  msPerImage: number;
}

/** Quantizes a uint8 pixel to the int8 input tensor exactly as a device would (round, clamp). */
export function quantizePixel(pixel: number, pixelScale: number, scale: number, zeroPoint: number): number {
  const q = Math.round((pixel * pixelScale) / scale) + zeroPoint;
  return q < -128 ? -128 : q > 127 ? 127 : q;
}

/** Runs an int8 classifier over labelled images and reports accuracy and per-image time. */
export function evaluateClassifier(
  model: TfliteModel,
  data: LabelledImages,
  opts: EvaluateOptions = {},
): ClassifierEvaluation {
  const interpreter = new Interpreter(model).allocate();
  const input = interpreter.inputInfo(0);
  if (input.type !== 'INT8')
    throw new TfliteError(
      'INVALID_INPUT',
      `evaluateClassifier needs an int8 input tensor, got ${input.type}`,
    );
  const pixels = input.shape.reduce((a, b) => a * b, 1);
  if (data.images.length !== data.count * pixels) {
    throw new TfliteError(
      'INVALID_INPUT',
      `images hold ${data.images.length / data.count} values each but the model input ${JSON.stringify(input.shape)} needs ${pixels}`,
    );
  }
  const pixelScale = opts.pixelScale ?? 1 / 255;
  // A 256-entry table: every image pixel maps through the same quantization.
  const table = new Int8Array(256);
  for (let p = 0; p < 256; p++) table[p] = quantizePixel(p, pixelScale, input.scale[0], input.zeroPoint[0]);
  const buffer = new Int8Array(pixels);
  const predictions = new Uint8Array(data.count);
  const every = opts.progressEvery ?? 1000;
  let correct = 0;
  const start = performance.now();
  for (let i = 0; i < data.count; i++) {
    const offset = i * pixels;
    for (let j = 0; j < pixels; j++) buffer[j] = table[data.images[offset + j]];
    interpreter.setInput(0, buffer);
    interpreter.invoke();
    const scores = interpreter.output(0);
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
    predictions[i] = best;
    if (best === data.labels[i]) correct++;
    if (opts.onProgress && ((i + 1) % every === 0 || i + 1 === data.count))
      opts.onProgress(i + 1, data.count);
  }
  const elapsed = performance.now() - start;
  return {
    accuracy: data.count ? correct / data.count : 0,
    correct,
    count: data.count,
    predictions,
    msPerImage: data.count ? elapsed / data.count : 0,
  };
}
