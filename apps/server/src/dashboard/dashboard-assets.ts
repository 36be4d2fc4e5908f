import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The built dashboard (`dist/dashboard`, made by `npm run build`), looked for above `from`: the
 * compiled server runs from dist/apps/server/..., the sources under jest from apps/server/...,
 * and both have the repository's dist/ above them. Null when it is not built.
 */
export function findDashboardDir(from: string): string | null {
  let dir = from;
  for (;;) {
    const candidates = [join(dir, 'dist', 'dashboard')];
    if (dir.endsWith(`${join('/', 'dist')}`)) candidates.push(join(dir, 'dashboard'));
    for (const candidate of candidates) if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The files the build wrote (flat: index.html, app.js, styles.css...), so only those are served. */
export function listAssets(dir: string): Set<string> {
  return new Set(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name),
  );
}

/** A request path that names a file (has an extension) rather than a client route. */
export function looksLikeFile(path: string): boolean {
  return /\.[A-Za-z0-9]{1,8}$/.test(path);
}

/** Paths the dashboard must never answer: the API, its docs, health. */
export function isServerPath(path: string): boolean {
  return /^\/(api|health)(\/|$)/.test(path);
}

/** Shown when the server runs without a built dashboard. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fleetprune: dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem">
<h1>The dashboard is not built</h1>
<p>The API is running at <a href="/api/docs">/api/docs</a>, but <code>dist/dashboard</code> is missing.</p>
<p>Run <code>npm run build</code> and restart the server.</p>
</body></html>
`;
