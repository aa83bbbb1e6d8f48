/** Reading a catalog document defensively: it may not have passed the schema (catalog-checks.ts). */
export type Loose = Record<string, unknown>;

export function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function objects(v: unknown): Array<[number, Loose]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[number, Loose]> = [];
  v.forEach((x, i) => {
    if (isObject(x)) out.push([i, x]);
  });
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
