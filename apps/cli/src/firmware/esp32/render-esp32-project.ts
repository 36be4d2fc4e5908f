import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { emitCArray, emitOpResolver, readModel } from '@fleetprune/tflite';
import type { FirmwareRenderInput } from '../firmware-render-input';
import { renderEsp32ConfigHeader } from './esp32-config-header';
import { findTemplateDir } from '../find-template-dir';
import { checkOutDir } from '../check-out-dir';
import type { RenderedFile } from '../rendered-file';

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

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, full)));
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
  return out;
}

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
  const templateDir = o.templateDir ?? findTemplateDir('esp32');
  // Generate first: a model the renderer cannot handle must not leave a half-written folder.
  const generated = renderEsp32GeneratedFiles(input);
  await checkOutDir(outDir, o.force);
  const written: RenderedFile[] = [];
  const generatedPaths = new Set(generated.map((g) => g.path));
  for (const path of await listFiles(templateDir)) {
    if (generatedPaths.has(path)) continue;
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await cp(join(templateDir, path), join(outDir, path));
    written.push({ path, bytes: (await stat(join(outDir, path))).size, generated: false });
  }
  for (const file of generated) {
    const bytes = Buffer.from(file.text, 'utf8');
    await mkdir(join(outDir, ESP32_GENERATED_DIR), { recursive: true });
    await writeFile(join(outDir, file.path), bytes);
    written.push({ path: file.path, bytes: bytes.length, generated: true });
  }
  return written;
}
