/** docs/benchmarks.md: each benchmark owns one section, replaced on every run. */
import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) the section starting with `heading` in docs/benchmarks.md. */
export function writeSection(heading: string, section: string) {
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  let doc = '';
  try {
    doc = readFileSync(file, 'utf8');
  } catch {
    doc =
      '# Benchmarks\n\nEach figure is a ratio against a baseline measured in the same run on the same machine. Reproduce with the command in each heading.\n\n';
  }
  const start = doc.indexOf(heading);
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 1);
    doc = doc.slice(0, start) + section + (next >= 0 ? '\n' + doc.slice(next + 1) : '');
  } else {
    doc += (doc.endsWith('\n\n') ? '' : '\n') + section;
  }
  writeFileSync(file, doc);
}
