/** Keeps one generated `## ` section of a markdown file current without touching the others. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the section that starts with `heading` (a `## ` line) up to the next `## ` heading,
 * or appends it; creates the file (with a `# Benchmarks` title) when missing.
 */
export function upsertMarkdownSection(path: string, heading: string, body: string): void {
  const section = `${heading}\n\n${body.trim()}\n`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading.trim());
  let out: string;
  if (start < 0) {
    out = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    out = `${before}\n\n${section}${after ? `\n${after}\n` : ''}`;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, out.replace(/^\n+/, ''));
}
