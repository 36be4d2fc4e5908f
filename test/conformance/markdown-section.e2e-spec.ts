import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertMarkdownSection } from '../../tools/conformance/markdown-section';

describe(upsertMarkdownSection.name, () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'fleetprune-md-')), 'docs', 'benchmarks.md');

  it('creates the file, then replaces only its own marked section', () => {
    const path = file();
    upsertMarkdownSection(path, 'mine', '## Mine\n\nfirst');
    const others = '\n<!-- theirs:begin -->\n## Theirs\n\nkeep me\n<!-- theirs:end -->\n';
    writeFileSync(path, readFileSync(path, 'utf8') + others);
    upsertMarkdownSection(path, 'mine', '## Mine\n\nsecond');
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('# Benchmarks\n')).toBe(true);
    expect(text).toContain('<!-- mine:begin -->\n## Mine\n\nsecond\n<!-- mine:end -->');
    expect(text).not.toContain('first');
    expect(text).toContain('<!-- theirs:begin -->\n## Theirs\n\nkeep me\n<!-- theirs:end -->');
  });
});
