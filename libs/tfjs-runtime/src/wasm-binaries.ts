import { existsSync } from 'fs';
import { dirname, join, sep } from 'path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TfjsRuntimeError } from './tfjs-runtime-error';

const BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

/** Directory (with trailing separator) holding the installed wasm binaries. */
export function wasmBinaryDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + sep;
}

let pointed = false;

/**
 * Points the wasm backend at the binaries inside node_modules, so it never tries to fetch
 * them; must run before the wasm backend initialises.
 */
export function useInstalledWasmBinaries(): string {
  const dir = wasmBinaryDir();
  const missing = BINARIES.filter((name) => !existsSync(dir + name));
  if (missing.length > 0) {
    throw new TfjsRuntimeError(
      'WASM_FILES_MISSING',
      `${missing.join(', ')} not found in ${dir}; reinstall @tensorflow/tfjs-backend-wasm.`,
    );
  }
  if (!pointed) {
    setWasmPaths(dir);
    pointed = true;
  }
  return dir;
}
