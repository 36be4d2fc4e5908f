import { usedBuiltinOps } from '../emitter/emit-op-resolver';
import type { TfliteModel } from '../model/tflite-model';
import { estimateArena } from '../planner/estimate-arena';

/** What a device must provide to run a model: its operators and tensor arena. */
export interface MicroFootprint {
  /** Operators the model uses, sorted (what the op resolver must register). */
  ops: string[];
  /** Tensor arena for a 64-bit host build (an upper bound for 32-bit devices). */
  arenaBytes: number;
  /** Tensor arena with 32-bit pointers, as on ESP32 / Cortex-M. */
  arenaBytes32: number;
}

/** The ops and arena sizes of a model, as exports, uploads and deployments report them. */
export function microFootprint(model: TfliteModel): MicroFootprint {
  return {
    ops: usedBuiltinOps(model).sort(),
    arenaBytes: estimateArena(model).total,
    arenaBytes32: estimateArena(model, { pointerBytes: 4 }).total,
  };
}
