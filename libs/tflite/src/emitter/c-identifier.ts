/** C identifiers derived from model names, for generated arrays, guards and constants. */

const C_KEYWORDS = new Set(
  'auto break case char const continue default do double else enum extern float for goto if inline int long register return short signed sizeof static struct switch typedef union unsigned void volatile while class namespace new delete template this true false bool'.split(
    ' ',
  ),
);

/** snake_case C identifier from any name: non [A-Za-z0-9] runs become '_', never a leading digit or keyword. */
export function cIdentifier(name: string): string {
  let id = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  if (id === '') id = 'model';
  if (/^[0-9]/.test(id) || C_KEYWORDS.has(id)) id = `model_${id}`;
  return id;
}

/** PascalCase form of `cIdentifier(name)`, for `k<Name>ArenaSize`-style constants. */
export function pascalIdentifier(name: string): string {
  return cIdentifier(name)
    .split('_')
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** Include-guard macro for a generated file, e.g. FLEETPRUNE_PERSON_DETECT_MODEL_DATA_H_. */
export function includeGuard(name: string, file: string): string {
  return `FLEETPRUNE_${cIdentifier(name).toUpperCase()}_${file.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_`;
}
