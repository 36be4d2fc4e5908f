import { emitCArray, emitOpResolver, readModel } from '@fleetprune/tflite';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { renderEsp32ConfigHeader } from './esp32-config-header';
import { findTemplateDir } from '../find-template-dir';
import type { FirmwareFile } from '../firmware-file';
import type { RenderedFile } from '../rendered-file';
import { readTemplateFiles } from '../template-files';
import { writeFirmwareFiles } from '../write-firmware-files';

export type { RenderedFile } from '../rendered-file';

/** Options of `renderEsp32Project`, merged over `DEFAULT_ESP32_RENDER_OPTIONS`. */
export interface Esp32RenderOptions {
  /** Write into a non-empty outDir, overwriting files of the same name. */
  force: boolean;
  /** Template folder; default firmware-templates/esp32 of this repository. */
  templateDir?: string;
}

export const DEFAULT_ESP32_RENDER_OPTIONS: Readonly<Esp32RenderOptions> = Object.freeze({ force: false });

/** C identifiers of the generated model: `fp_model[]`, `kFpModelArenaSize`, `RegisterFpModelOps`. */
export const ESP32_MODEL_NAME = 'fp_model';
/** Where the generated files go, relative to the project root. */
export const ESP32_GENERATED_DIR = 'main/generated';

// Host build output and editor litter never belong in a rendered project.
const SKIPPED = new Set(['build', 'sdkconfig', 'managed_components', 'dependencies.lock']);

/** The generated sources: model C array, op resolver with arena size, and fp_config.h. */
export function renderEsp32GeneratedFiles(input: FirmwareRenderInput): { path: string; text: string }[] {
  const model = readModel(input.tflite);
  const cArray = emitCArray(input.tflite, { name: ESP32_MODEL_NAME, headerFileName: 'model_data.h' });
  const resolver = emitOpResolver(model, { arenaBytes: input.report.arenaBytes32, name: ESP32_MODEL_NAME });
  return [
    { path: `${ESP32_GENERATED_DIR}/model_data.h`, text: cArray.header },
    { path: `${ESP32_GENERATED_DIR}/model_data.cc`, text: cArray.source },
    { path: `${ESP32_GENERATED_DIR}/op_resolver.h`, text: resolver },
    { path: `${ESP32_GENERATED_DIR}/fp_config.h`, text: renderEsp32ConfigHeader(input) },
  ];
}

/**
 * Every file of the ESP-IDF project for one artifact, in memory: the template's files, then
 * the generated ones (which replace template files of the same path).
 */
export async function renderEsp32Files(
  input: FirmwareRenderInput,
  options: Pick<Partial<Esp32RenderOptions>, 'templateDir'> = {},
): Promise<FirmwareFile[]> {
  // Generate first: a model the renderer cannot handle fails before any file is read or written.
  const generated = renderEsp32GeneratedFiles(input).map((g): FirmwareFile => ({
    path: g.path,
    bytes: Buffer.from(g.text, 'utf8'),
    mode: 0o644,
    generated: true,
  }));
  const templateDir = options.templateDir ?? findTemplateDir('esp32');
  const generatedPaths = new Set(generated.map((g) => g.path));
  const template = await readTemplateFiles(templateDir, (name) => SKIPPED.has(name));
  return [...template.filter((t) => !generatedPaths.has(t.path)), ...generated];
}

/**
 * Renders an ESP-IDF project for one artifact into `outDir`: the template copied, then the
 * generated files. Refuses a non-empty outDir unless `force`. Returns what it wrote.
 * @example await renderEsp32Project(input, './fw-esp32'); // then: cd fw-esp32 && idf.py build
 */
export async function renderEsp32Project(
  input: FirmwareRenderInput,
  outDir: string,
  options: Partial<Esp32RenderOptions> = {},
): Promise<RenderedFile[]> {
  const o: Esp32RenderOptions = { ...DEFAULT_ESP32_RENDER_OPTIONS, ...options };
  return writeFirmwareFiles(outDir, await renderEsp32Files(input, o), o.force);
}
