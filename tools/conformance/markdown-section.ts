/** Keeps one generated section of a markdown file current without touching the others. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the text between `<!-- key:begin -->` and `<!-- key:end -->` with `body` (the
 * convention docs/benchmarks.md uses), or appends the marked section; creates the file with a
 * `# Benchmarks` title when missing.
 */
export function upsertMarkdownSection(path: string, key: string, body: string): void {
  const begin = `<!-- ${key}:begin -->`;
  const end = `<!-- ${key}:end -->`;
  const section = `${begin}\n${body.trim()}\n${end}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from);
  const out =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, out);
}
