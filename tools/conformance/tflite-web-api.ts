/**
 * Loads the TFLite web API that ships in npm @tensorflow/tfjs-tflite (TFLite + XNNPACK compiled
 * to WebAssembly, made for browsers) into a Node vm context that looks like a single-threaded
 * web worker. Nothing of the package's tfjs-core glue is used: only its low-level model runner.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createContext, runInContext, type Context } from 'node:vm';
import type { TFLiteWebAPIClient } from '@tensorflow/tfjs-tflite/dist/types/tflite_web_api';
import { ConformanceError } from './conformance-error';

/** The loaded web API plus what its C++ side printed (TFLite reports load errors there). */
export interface TfliteWebApi {
  tfweb: TFLiteWebAPIClient;
  /** Lines the module printed, oldest first; bounded, so read it right after a call. */
  log: string[];
  /** The wasm build the loader picked, e.g. `tflite_web_api_cc_simd.js`. */
  build: string;
}

// A made-up origin: every URL the loader derives starts here, and nothing else is served.
const ORIGIN = 'file://tfjs-tflite.invalid';
const BASE = `${ORIGIN}/wasm/`;
const SERVED = /^tflite_web_api_cc(_simd)?\.(js|wasm)$/;
const LOG_LINES = 200;

let loading: Promise<TfliteWebApi> | undefined;

/** Folder of the package's wasm builds and loader script (`<package>/wasm/`). */
export function tfliteWasmDir(): string {
  try {
    return join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
  } catch {
    throw new ConformanceError(
      'ENGINE_MISSING',
      'npm package @tensorflow/tfjs-tflite@0.0.1-alpha.10 is not installed; run npm ci (it is a dev dependency).',
    );
  }
}

function localFile(dir: string, url: string): Buffer {
  const name = url.startsWith(BASE) ? url.slice(BASE.length) : '';
  if (!SERVED.test(name)) {
    throw new ConformanceError(
      'LOAD_FAILED',
      `TFLite-WASM shim refused to fetch ${url} (only local wasm builds).`,
    );
  }
  return readFileSync(join(dir, name));
}

function sandbox(dir: string, log: string[], loaded: string[]): Context {
  const print = (...parts: unknown[]): void => {
    log.push(parts.map(String).join(' '));
    if (log.length > LOG_LINES) log.splice(0, log.length - LOG_LINES);
  };
  const quiet = { log: print, info: print, warn: print, error: print, debug: print };
  const globals: Record<string, unknown> = {
    console: quiet,
    exports: {},
    URL,
    Blob,
    Response,
    TextDecoder,
    TextEncoder,
    performance,
    crypto: globalThis.crypto,
    setTimeout,
    clearTimeout,
    // A worker's location; `window` stays undefined so the loader takes its worker path.
    location: { href: `${BASE}worker.js`, origin: ORIGIN },
    navigator: { hardwareConcurrency: 1 },
    fetch: async (url: unknown) => new Response(new Uint8Array(localFile(dir, String(url)))),
  };
  const context = createContext(globals);
  globals.self = context;
  globals.importScripts = (url: string) => {
    loaded.push(url.slice(BASE.length));
    runInContext(localFile(dir, url).toString('utf8'), context, { filename: url });
  };
  // Without SharedArrayBuffer the loader's thread probe fails and it picks a single-threaded
  // build (no workers to shim). Streaming compile is off so the wasm comes through fetch().
  runInContext('delete globalThis.SharedArrayBuffer; delete WebAssembly.instantiateStreaming;', context);
  return context;
}

async function load(): Promise<TfliteWebApi> {
  const dir = tfliteWasmDir();
  const log: string[] = [];
  const loaded: string[] = [];
  const context = sandbox(dir, log, loaded);
  const client = join(dir, 'tflite_web_api_client.js');
  // The client starts loading the wasm build as soon as it runs (relative to `location`).
  runInContext(readFileSync(client, 'utf8'), context, { filename: client });
  const tfweb = (context as { tfweb?: TFLiteWebAPIClient }).tfweb;
  if (!tfweb?.TFLiteWebModelRunner) {
    throw new ConformanceError('LOAD_FAILED', `${client} did not define tfweb.TFLiteWebModelRunner.`);
  }
  const features = await tfweb.tflite_web_api.getWasmFeatures();
  if (features.multiThreading) {
    throw new ConformanceError(
      'LOAD_FAILED',
      'TFLite-WASM would pick a threaded build; the shim must hide SharedArrayBuffer.',
    );
  }
  return {
    tfweb,
    log,
    get build() {
      return loaded[0] ?? '(not loaded yet)';
    },
  };
}

/** Loads the TFLite web API once per process (later calls share it). */
export function loadTfliteWebApi(): Promise<TfliteWebApi> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
