import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FirmwareRenderError } from './firmware-render-error';

/**
 * The template folder `firmware-templates/<name>` of the repository (or installed package)
 * this code runs from. It runs from libs/firmware/src under ts-jest and from
 * dist/libs/firmware/src in the built server and CLI, so walk up to the first directory
 * holding both package.json and the template.
 */
export function findTemplateDir(name: string, from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'firmware-templates', name);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new FirmwareRenderError(
        'TEMPLATE_NOT_FOUND',
        `no firmware-templates/${name} above ${from}; run fleetprune from its repository or installed package`,
      );
  }
}
