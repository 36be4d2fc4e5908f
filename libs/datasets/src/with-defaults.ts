/**
 * `{ ...defaults, ...opts }` except that keys set to `undefined` keep the default, so a caller
 * forwarding an optional field (`{ seed: opts.seed }`) never erases it.
 */
export function withDefaults<T extends object>(defaults: Readonly<T>, opts: Partial<T>): T {
  const merged: T = { ...defaults } as T;
  for (const key of Object.keys(opts) as (keyof T)[]) {
    const value = opts[key];
    if (value !== undefined) merged[key] = value as T[keyof T];
  }
  return merged;
}
