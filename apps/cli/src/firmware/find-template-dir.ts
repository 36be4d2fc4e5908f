import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FirmwareRenderError } from './firmware-render-error';

/**
 * The template folder `firmware-templates/<name>` of the repository this code runs from.
 * The CLI runs from dist/apps/cli/src/... after a build and from apps/cli/src/... under
 * ts-jest, so walk up to the first directory holding package.json and the template.
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
