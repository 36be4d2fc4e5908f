import { Interpreter, TensorInfo } from '@fleetprune/tflite';
import { CachedModel } from './model-cache';

/** What one inference produced. */
export interface Classification {
  predicted: number;
  /** Top-1 probability in [0, 1]. */
  confidence: number;
  latencyMs: number;
}

const INPUT = 0;
const OUTPUT = 0;

/**
 * One device's running model: its own interpreter (activations) over a shared parsed model,
 * built on the first inference, so a fleet that only installs models does not pay for 1,000
 * sets of activations.
 * Takes uint8 camera pixels, scales them to [0, 1] as training did (x / 255), quantizes with
 * the input tensor's scale and zero point, invokes, and reads the dequantized output.
 */
export class Classifier {
  private interpreter: Interpreter | undefined;
  private readonly input: TensorInfo;
  private readonly output: TensorInfo;
  private readonly inputBuffer: Int8Array | Uint8Array | Float32Array;
  /** The graph ends in SOFTMAX: outputs already are probabilities. */
  private readonly outputIsProbability: boolean;
  readonly inputShape: readonly number[];
  readonly classCount: number;

  constructor(readonly cached: CachedModel) {
    const model = cached.model;
    this.input = cached.input;
    this.output = cached.output;
    const elements = this.input.shape.reduce((a, b) => a * b, 1);
    this.inputBuffer =
      this.input.type === 'INT8'
        ? new Int8Array(elements)
        : this.input.type === 'UINT8'
          ? new Uint8Array(elements)
          : new Float32Array(elements);
    this.inputShape = this.input.shape;
    this.classCount = this.output.shape.reduce((a, b) => a * b, 1);
    const ops = model.subgraphs[0].operators;
    const last = ops[ops.length - 1];
    this.outputIsProbability =
      last !== undefined && model.operatorCodes[last.opcodeIndex].builtinCode === 'SOFTMAX';
  }

  /** Pixels one input image has (product of the input shape without the batch). */
  get inputElements(): number {
    return this.inputBuffer.length;
  }

  /**
   * Classifies one image of `shape` [h, w, c]; an image of another size is resampled
   * (nearest neighbour, channels repeated) so any vision model can run on any source.
   */
  classify(pixels: Uint8Array, shape: readonly number[]): Classification {
    this.fill(pixels, shape);
    const interpreter = (this.interpreter ??= new Interpreter(this.cached.model).allocate());
    const start = performance.now();
    interpreter.setInput(INPUT, this.inputBuffer);
    interpreter.invoke();
    const latencyMs = performance.now() - start;
    return { ...this.readTop1(interpreter), latencyMs };
  }

  /** Self-test: one inference on a mid-grey image; throws if the model cannot run. */
  selfTest(): Classification {
    const [h, w, c] = this.imageShape();
    return this.classify(new Uint8Array(h * w * c).fill(128), [h, w, c]);
  }

  /** The [h, w, c] the model takes (a flat input counts as h = elements, w = c = 1). */
  imageShape(): [number, number, number] {
    const s = this.input.shape;
    if (s.length === 4) return [s[1], s[2], s[3]];
    if (s.length === 3) return [s[0], s[1], s[2]];
    return [this.inputElements, 1, 1];
  }

  private fill(pixels: Uint8Array, shape: readonly number[]): void {
    const [h, w, c] = this.imageShape();
    const [sh, sw, sc] = shape;
    const same = sh * sw * sc === h * w * c;
    const scale = this.input.scale[0] ?? 1;
    const zero = this.input.zeroPoint[0] ?? 0;
    const buf = this.inputBuffer;
    const lo = buf instanceof Int8Array ? -128 : 0;
    const hi = buf instanceof Int8Array ? 127 : 255;
    for (let i = 0; i < buf.length; i++) {
      let p: number;
      if (same) p = pixels[i];
      else {
        const y = Math.floor(i / (w * c));
        const x = Math.floor(i / c) % w;
        const sy = Math.min(sh - 1, Math.floor((y * sh) / h));
        const sx = Math.min(sw - 1, Math.floor((x * sw) / w));
        p = pixels[(sy * sw + sx) * sc + ((i % c) % sc)];
      }
      const real = p / 255;
      if (buf instanceof Float32Array) buf[i] = real;
      else {
        const q = Math.round(real / scale) + zero;
        buf[i] = q < lo ? lo : q > hi ? hi : q;
      }
    }
  }

  private readTop1(interpreter: Interpreter): { predicted: number; confidence: number } {
    const raw = interpreter.output(OUTPUT);
    const scale = this.output.scale[0] ?? 1;
    const zero = this.output.zeroPoint[0] ?? 0;
    const quantized = this.output.type === 'INT8' || this.output.type === 'UINT8';
    let best = 0;
    let bestValue = -Infinity;
    const values = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = quantized ? scale * (Number(raw[i]) - zero) : Number(raw[i]);
      values[i] = v;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    if (this.outputIsProbability) return { predicted: best, confidence: clamp01(bestValue) };
    // Logits: softmax of the dequantized values, max-shifted for stability.
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - bestValue);
    return { predicted: best, confidence: clamp01(1 / sum) };
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
