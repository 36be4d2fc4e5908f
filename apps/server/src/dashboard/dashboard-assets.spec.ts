import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDashboardDir, isServerPath, listAssets, looksLikeFile } from './dashboard-assets';

describe('dashboard assets', () => {
  const root = mkdtempSync(join(tmpdir(), 'fleetprune-assets-'));

  it('finds dist/dashboard above the sources and beside the compiled server', () => {
    const built = join(root, 'repo', 'dist', 'dashboard');
    mkdirSync(built, { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html>');
    writeFileSync(join(built, 'app.js'), '');
    const sources = join(root, 'repo', 'apps', 'server', 'src', 'dashboard');
    const compiled = join(root, 'repo', 'dist', 'apps', 'server', 'src', 'dashboard');
    mkdirSync(sources, { recursive: true });
    mkdirSync(compiled, { recursive: true });
    expect(findDashboardDir(sources)).toBe(built);
    expect(findDashboardDir(compiled)).toBe(built);
    expect([...listAssets(built)].sort()).toEqual(['app.js', 'index.html']);
  });

  it('answers null when nothing is built (the server then shows its 503 page)', () => {
    const bare = join(root, 'bare', 'apps', 'server');
    mkdirSync(bare, { recursive: true });
    // A dist/ without dashboard/index.html is not a build.
    mkdirSync(join(root, 'bare', 'dist', 'dashboard'), { recursive: true });
    expect(findDashboardDir(bare)).toBeNull();
  });

  it('tells API paths, files and client routes apart', () => {
    expect(isServerPath('/api/devices')).toBe(true);
    expect(isServerPath('/api')).toBe(true);
    expect(isServerPath('/health')).toBe(true);
    expect(isServerPath('/apiary')).toBe(false);
    expect(isServerPath('/devices/abc')).toBe(false);
    expect(looksLikeFile('/app.js')).toBe(true);
    expect(looksLikeFile('/devices/2651e6c5-1758-4296-81b5-5f04c76afb20')).toBe(false);
  });
});
