import type { TfliteModel } from '../model/tflite-model';
import { TfliteError } from '../tflite-error';

/** Metadata name under which converters record the oldest TFLite runtime that can run a model. */
export const MIN_RUNTIME_VERSION = 'min_runtime_version';

/** TFLite's converter stores the version string NUL-padded in a 16-byte buffer. */
const VERSION_BUFFER_BYTES = 16;

/**
 * Returns a copy of `model` whose `min_runtime_version` metadata says `version` (e.g. '1.14.0'),
 * replacing an existing entry's buffer or appending a new buffer and entry.
 */
export function withMinRuntimeVersion(model: TfliteModel, version: string): TfliteModel {
  const text = new TextEncoder().encode(version);
  if (text.length >= VERSION_BUFFER_BYTES || !/^[0-9A-Za-z.\-+]+$/.test(version)) {
    throw new TfliteError(
      'INVALID_INPUT',
      `min_runtime_version '${version}' must be a short version like '1.14.0'.`,
    );
  }
  const data = new Uint8Array(VERSION_BUFFER_BYTES);
  data.set(text);
  const buffers = [...model.buffers];
  const metadata = model.metadata.map((m) => ({ ...m }));
  const existing = metadata.find((m) => m.name === MIN_RUNTIME_VERSION);
  if (existing && existing.buffer !== 0) {
    buffers[existing.buffer] = data;
  } else {
    buffers.push(data);
    if (existing) existing.buffer = buffers.length - 1;
    else metadata.push({ name: MIN_RUNTIME_VERSION, buffer: buffers.length - 1 });
  }
  return { ...model, buffers, metadata };
}

/** The model's `min_runtime_version` metadata as a string, or undefined when absent. */
export function readMinRuntimeVersion(model: TfliteModel): string | undefined {
  const entry = model.metadata.find((m) => m.name === MIN_RUNTIME_VERSION);
  const data = entry ? model.buffers[entry.buffer] : undefined;
  if (!data) return undefined;
  const end = data.indexOf(0);
  return new TextDecoder().decode(end === -1 ? data : data.subarray(0, end));
}
