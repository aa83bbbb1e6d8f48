/**
 * Vertical slices (docs/architecture.md): a context folder under functions/ imports its own modules,
 * functions/core, functions/adapters and functions/api-types.ts; of another context only its public
 * modules, `schemas.ts`, `index.ts` and `routes.ts` (its route table: data over its schemas, which
 * functions/query/openapi-registry.ts assembles). functions/core imports nothing but core; functions/adapters
 * no context. The rule is read from the import statements, so a new file is covered without a list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FUNCTIONS = join(ROOT, 'functions');
const PUBLIC_MODULES = new Set(['schemas.ts', 'index.ts', 'routes.ts']);
const ALIASES: Record<string, string> = { '#core/': 'functions/core/', '#adapters/': 'functions/adapters/', '#lib/': 'lib/', '#local/': 'local/' };

const contexts = readdirSync(FUNCTIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'core' && d.name !== 'adapters')
  .map((d) => d.name);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** Every module a file imports (static, dynamic, re-export), as a path from the repository root; packages are left out. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.flatMap((s) => {
    const alias = Object.keys(ALIASES).find((a) => s.startsWith(a));
    if (alias) return [`${ALIASES[alias]}${s.slice(alias.length)}`];
    if (s.startsWith('.')) return [relative(ROOT, resolve(dirname(file), s))];
    return [];
  });
}

/** Where a repository path lies: 'core', 'adapters', a context name, or 'other' (lib, local, api-types, …). */
function areaOf(path: string): string {
  const m = /^functions\/([^/]+)\//.exec(path);
  return m ? m[1]! : 'other';
}

/** The imports of every file under functions/ that break the rule, as 'file → import'. */
function sliceViolations(): string[] {
  const out: string[] = [];
  for (const file of sources(FUNCTIONS)) {
    const from = relative(ROOT, file);
    const area = areaOf(from);
    for (const target of importsOf(file)) {
      const to = areaOf(target);
      const bad =
        (area === 'core' && to !== 'core' && !target.startsWith('lib/')) ||
        (area === 'adapters' && contexts.includes(to)) ||
        (contexts.includes(area) && contexts.includes(to) && to !== area && !PUBLIC_MODULES.has(target.slice(`functions/${to}/`.length)));
      if (bad) out.push(`${from} → ${target}`);
    }
  }
  return out;
}

describe('vertical slices', () => {
  it('finds the contexts and their imports', () => {
    expect(contexts).toEqual(expect.arrayContaining(['ingest', 'query', 'rights', 'export', 'stats', 'checks']));
    expect(importsOf(join(FUNCTIONS, 'query/openapi-registry.ts'))).toContain('functions/rights/schemas.ts');
  });

  it('no context imports another context’s internals, core stays pure, adapters know no context', () => {
    expect(sliceViolations()).toEqual([]);
  });
});
