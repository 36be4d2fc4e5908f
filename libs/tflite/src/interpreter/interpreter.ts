/**
 * Reference int8 interpreter for TfliteModel: runs a subgraph's operators in order with
 * kernels that reproduce TensorFlow Lite Micro's reference-kernel arithmetic bit for bit.
 *
 * @example
 *   const interpreter = new Interpreter(readModel(bytes)).allocate();
 *   interpreter.setInput(0, Int8Array.of(-96));
 *   interpreter.invoke();
 *   const y = interpreter.output(0); // Int8Array
 */
import type { TensorTypeName, TfliteModel } from '../model/tflite-model';
import type { KernelContext, RuntimeTensor, TensorData } from '../kernels/kernel';
import { kernelFor, type AnyKernel } from '../kernels/kernel-registry';
import { TfliteError } from '../tflite-error';
import { createRuntimeTensor, storageFor } from './runtime-tensor';

/** Interpreter options; every field is optional and documented with its default. */
export interface InterpreterOptions {
  /** Subgraph to run. Default 0 (the main graph). */
  subgraph?: number;
  /** Copy every operator's outputs after it runs, readable through `intermediates()`. Default false. */
  recordIntermediates?: boolean;
}

const DEFAULT_OPTIONS: Required<InterpreterOptions> = { subgraph: 0, recordIntermediates: false };

/** Public description of an input or output tensor. */
export interface TensorInfo {
  index: number;
  name: string;
  type: TensorTypeName;
  shape: readonly number[];
  scale: readonly number[];
  zeroPoint: readonly number[];
}

/** An operator output captured during the last invoke (when `recordIntermediates` is on). */
export interface RecordedTensor {
  opIndex: number;
  opName: string;
  tensor: TensorInfo;
  data: TensorData;
}

interface PlannedOp {
  kernel: AnyKernel;
  ctx: KernelContext;
  data: unknown;
}

function info(t: RuntimeTensor): TensorInfo {
  return {
    index: t.index,
    name: t.name,
    type: t.type,
    shape: t.shape,
    scale: t.scale,
    zeroPoint: t.zeroPoint,
  };
}

/**
 * Runs a TfliteModel with TFLM reference-kernel semantics. Weights are read once per model
 * object and shared by all its interpreters, so do not mutate a model's buffers in place after
 * building interpreters from it; each interpreter owns its activations.
 */
export class Interpreter {
  private readonly options: Required<InterpreterOptions>;
  private readonly tensors = new Map<number, RuntimeTensor>();
  private plan: PlannedOp[] | undefined;
  private recorded: RecordedTensor[] = [];

  constructor(
    private readonly model: TfliteModel,
    options: InterpreterOptions = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    if (!model.subgraphs[this.options.subgraph]) {
      throw new TfliteError('INVALID_MODEL', `model has no subgraph ${this.options.subgraph}`);
    }
  }

  /** Creates tensor storage and runs every kernel's prepare once; call before invoke. */
  allocate(): this {
    if (this.plan) return this;
    const graph = this.model.subgraphs[this.options.subgraph];
    const plan: PlannedOp[] = [];
    graph.operators.forEach((op, opIndex) => {
      const code = this.model.operatorCodes[op.opcodeIndex];
      if (!code)
        throw new TfliteError(
          'INVALID_MODEL',
          `op ${opIndex} has opcode index ${op.opcodeIndex} out of range`,
        );
      const opName = code.builtinCode === 'CUSTOM' ? `CUSTOM:${code.customCode ?? ''}` : code.builtinCode;
      const kernel = kernelFor(opName, opIndex);
      const ctx: KernelContext = {
        opIndex,
        opName,
        version: code.version,
        options: op.options,
        inputs: op.inputs.map((i) => (i < 0 ? undefined : this.tensor(i, `op ${opIndex} (${opName})`))),
        outputs: op.outputs.map((i) => this.tensor(i, `op ${opIndex} (${opName})`)),
      };
      plan.push({ kernel, ctx, data: kernel.prepare(ctx) });
    });
    graph.inputs.forEach((i) => this.tensor(i, 'graph input'));
    graph.outputs.forEach((i) => this.tensor(i, 'graph output'));
    this.plan = plan;
    return this;
  }

  /** Number of graph inputs. */
  get inputCount(): number {
    return this.graph().inputs.length;
  }

  /** Number of graph outputs. */
  get outputCount(): number {
    return this.graph().outputs.length;
  }

  /** Name, type, shape and quantization of graph input `i`. */
  inputInfo(i: number): TensorInfo {
    return info(this.graphTensor('input', i));
  }

  /** Name, type, shape and quantization of graph output `i`. */
  outputInfo(i: number): TensorInfo {
    return info(this.graphTensor('output', i));
  }

  /**
   * Copies `data` into graph input `i`. A typed array must be of the tensor's own element type
   * (Int8Array for INT8, Float32Array for FLOAT32, ...); a number array is range-checked.
   */
  setInput(i: number, data: TensorData | readonly number[]): void {
    const t = this.writableInput(i);
    const what = `input ${i} '${t.name}' (${t.type} [${t.shape.join(',')}])`;
    if (data.length !== t.data.length) {
      throw new TfliteError('INVALID_INPUT', `${what} needs ${t.data.length} values, got ${data.length}`);
    }
    if (Array.isArray(data)) {
      const probe = new (storageFor(t.type, what))(1);
      for (const v of data) {
        probe[0] = v;
        if (
          !Number.isFinite(v) ||
          (!(probe instanceof Float32Array || probe instanceof Float64Array) && probe[0] !== v)
        ) {
          throw new TfliteError('INVALID_INPUT', `${what}: value ${v} is not representable as ${t.type}`);
        }
      }
    } else if (data.constructor !== t.data.constructor) {
      throw new TfliteError(
        'INVALID_INPUT',
        `${what} takes a ${t.data.constructor.name}, got a ${data.constructor.name}; quantize the values first or use setInputBytes`,
      );
    }
    t.data.set(data);
  }

  /** Copies raw little-endian bytes (e.g. a `.raw` file) into graph input `i`. */
  setInputBytes(i: number, bytes: Uint8Array): void {
    const t = this.writableInput(i);
    if (bytes.length !== t.data.byteLength) {
      throw new TfliteError(
        'INVALID_INPUT',
        `input ${i} '${t.name}' needs ${t.data.byteLength} bytes, got ${bytes.length}`,
      );
    }
    new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).set(bytes);
  }

  /** Runs every operator once on the current inputs. */
  invoke(): void {
    const plan = this.plan;
    if (!plan) throw new TfliteError('INVALID_INPUT', 'call allocate() before invoke()');
    if (this.options.recordIntermediates) this.recorded = [];
    for (const op of plan) {
      op.kernel.eval(op.ctx, op.data);
      if (this.options.recordIntermediates) {
        for (const t of op.ctx.outputs) {
          this.recorded.push({
            opIndex: op.ctx.opIndex,
            opName: op.ctx.opName,
            tensor: info(t),
            data: t.data.slice(),
          });
        }
      }
    }
  }

  /** A copy of graph output `i` after the last invoke. */
  output(i: number): TensorData {
    return this.graphTensor('output', i).data.slice();
  }

  /** Sets every input, invokes, and returns copies of every output. */
  invokeAll(inputs: readonly (TensorData | readonly number[])[]): TensorData[] {
    this.allocate();
    if (inputs.length !== this.inputCount) {
      throw new TfliteError('INVALID_INPUT', `model has ${this.inputCount} inputs, got ${inputs.length}`);
    }
    inputs.forEach((data, i) => this.setInput(i, data));
    this.invoke();
    return Array.from({ length: this.outputCount }, (_, i) => this.output(i));
  }

  /** Operator outputs of the last invoke, in execution order (empty unless `recordIntermediates`). */
  intermediates(): readonly RecordedTensor[] {
    return this.recorded;
  }

  private graph() {
    return this.model.subgraphs[this.options.subgraph];
  }

  private writableInput(i: number): RuntimeTensor {
    const t = this.graphTensor('input', i);
    if (t.isConstant) {
      throw new TfliteError(
        'INVALID_INPUT',
        `input ${i} '${t.name}' is a constant tensor of the model and cannot be set`,
      );
    }
    return t;
  }

  private graphTensor(kind: 'input' | 'output', i: number): RuntimeTensor {
    this.allocate();
    const list = kind === 'input' ? this.graph().inputs : this.graph().outputs;
    if (!Number.isInteger(i) || i < 0 || i >= list.length) {
      throw new TfliteError('INVALID_INPUT', `model has ${list.length} ${kind}s, asked for ${kind} ${i}`);
    }
    return this.tensor(list[i], `graph ${kind}`);
  }

  private tensor(index: number, user: string): RuntimeTensor {
    let t = this.tensors.get(index);
    if (!t) {
      const count = this.graph().tensors.length;
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new TfliteError(
          'INVALID_MODEL',
          `${user} refers to tensor ${index}, but the subgraph has ${count} tensors`,
        );
      }
      t = createRuntimeTensor(this.model, this.options.subgraph, index);
      this.tensors.set(index, t);
    }
    return t;
  }
}
