/**
 * Comments cite files of this repository only: the project's rules are written down in docs/ (the
 * domain rules in docs/domain.md, the API in docs/api.md, the layout in docs/architecture.md), so a
 * reader of the code can follow every reference. A spec file cited by bare name (`domain.md §2.5`,
 * `contract §3`) or a path that leaves the repository (`../../../shared/…`) fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['functions', 'lib', 'bin', 'local', 'console/src', 'test', 'cli', 'scripts', 'bench'];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (d.name === 'node_modules' ? [] : sources(join(dir, d.name))) : /\.(tsx?|mjs|js|css|html)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** Why a line cites something outside the repository, or undefined when it does not. */
function badCitation(line: string, file: string): string | undefined {
  // a section of a spec document, named without a file of this repository (`domain §2.5`, `contract.md §3`)
  const section = /\b(domain|contract|architecture|style)(?:\.md)?\s*§/.exec(line);
  if (section && !/docs\/[\w-]+\.md/.test(line)) return `cites a section of ${section[1]}.md, which is not in this repository`;
  for (const m of line.matchAll(/(?<![\w/.-])((?:\.{1,2}\/|[\w-]+\/)*[\w-]+\.md)\b/g)) {
    const cited = m[1]!;
    const path = cited.startsWith('.') ? resolve(dirname(file), cited) : resolve(ROOT, cited);
    if (!existsSync(path)) return `cites ${cited}, which is not a file of this repository (write the path from the root, e.g. docs/domain.md)`;
  }
  for (const m of line.matchAll(/(?:\.\.\/)+[\w.-]+(?:\/[\w.-]+)*/g)) {
    const target = relative(ROOT, resolve(dirname(file), m[0]));
    if (target.startsWith('..')) return `refers to ${m[0]}, outside the repository`;
  }
  if (/\/work\/shared\b|\bshared\/(spec|testdata|reference)\b/.test(line)) return 'refers to the shared folder outside the repository';
  return undefined;
}

describe('citations stay inside the repository', () => {
  it('tells a good citation from a bad one', () => {
    const file = join(ROOT, 'functions/core/identifiers.ts');
    expect(badCitation(' * Identifier checks (domain.md §1): USCC', file)).toMatch(/domain\.md/);
    expect(badCitation('// Money fields in 万元 (domain §2.5 rule 5)', file)).toMatch(/domain\.md/);
    expect(badCitation(' * the summary of contract.md §4.', file)).toMatch(/contract\.md/);
    expect(badCitation("const p = join(import.meta.dirname, '../../../shared/testdata/ids.json');", file)).toMatch(/outside/);
    expect(badCitation(' * see architecture.md', file)).toMatch(/not a file of this repository/);
    expect(badCitation(' * Identifier checks (docs/domain.md, Identifiers): USCC', file)).toBeUndefined();
    expect(badCitation(' * the layout (docs/architecture.md); README.md', file)).toBeUndefined();
    expect(badCitation("import { x } from '../adapters/http.ts';", file)).toBeUndefined();
  });

  it(`no file under ${SCANNED.join(', ')} cites a spec file outside the repository`, () => {
    // this file's own examples are bad on purpose
    const files = SCANNED.flatMap((d) => sources(join(ROOT, d))).filter((f) => f !== import.meta.filename);
    const problems = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const why = badCitation(line, file);
          return why ? [`${relative(ROOT, file)}:${i + 1} ${why}: ${line.trim().slice(0, 120)}`] : [];
        }),
    );
    expect(problems, 'cite docs/domain.md, docs/api.md or docs/architecture.md (add the fact there in our own words)').toEqual([]);
  });
});
