/**
 * The console's item labels (console/src/item-labels.ts): each item on screen is read by key once,
 * however many views ask at once, the codes asked together in lookups of at most 100; an item the
 * API cannot answer for stands as its code and is not asked for again; nothing reads the whole catalog.
 */
import { describe, expect, it } from 'vitest';
import { ITEM_LOOKUP_BATCH, ItemCache, type CatalogItem } from '../../console/src/item-cache.ts';

const penalty: CatalogItem = { code: 'PEN-01', name: '行政处罚信息', provider: 'SCJ', fields: [{ key: 'fineWan', label: '罚款金额（万元）' }] };

function fetcher(known: CatalogItem[]) {
  const asked: string[] = [];
  const lookups: string[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  // as GET /v1/catalog/items?codes= answers: the published items among the codes, unknown ones left out
  const fetchItem = async (codes: string[]) => {
    asked.push(...codes);
    lookups.push(codes);
    await gate;
    if (codes.includes('DOWN-1')) throw new Error('network down');
    return known.filter((i) => codes.includes(i.code));
  };
  return { asked, lookups, release, fetchItem };
}

describe('item labels by key', () => {
  it('shows codes and keys until the item arrives, then its name and field labels', async () => {
    const f = fetcher([penalty]);
    const cache = new ItemCache(f.fetchItem);
    const loading = cache.load(['PEN-01']);
    expect(cache.name('PEN-01')).toBe('PEN-01');
    expect(cache.label('PEN-01', 'fineWan')).toBe('fineWan');
    f.release();
    await loading;
    expect(cache.name('PEN-01')).toBe('行政处罚信息');
    expect(cache.label('PEN-01', 'fineWan')).toBe('罚款金额（万元）');
    expect(cache.label('PEN-01', 'other')).toBe('other');
  });

  it('asks for each code once, however many views ask at the same time or later', async () => {
    const f = fetcher([penalty]);
    const cache = new ItemCache(f.fetchItem);
    const a = cache.load(['PEN-01', 'PEN-01', '']);
    const b = cache.load(['PEN-01']);
    f.release();
    await Promise.all([a, b]);
    await cache.load(['PEN-01']);
    expect(f.asked).toEqual(['PEN-01']);
  });

  it('keeps the code of an item it cannot read, and does not ask for it again', async () => {
    const f = fetcher([penalty]);
    const cache = new ItemCache(f.fetchItem);
    f.release();
    await cache.load(['GONE-9', 'PEN-01']);
    expect(cache.name('GONE-9')).toBe('GONE-9');
    expect(cache.item('GONE-9')).toBeUndefined();
    expect(cache.name('PEN-01')).toBe('行政处罚信息');
    await cache.load(['GONE-9']);
    expect(f.asked.filter((c) => c === 'GONE-9')).toHaveLength(1);
  });

  it('asks for the codes of one view together, 100 to a lookup', async () => {
    const many = Array.from({ length: 250 }, (_, n): CatalogItem => ({ code: `IT-${n}`, name: `事项${n}`, provider: 'SCJ', fields: [] }));
    const f = fetcher(many);
    const cache = new ItemCache(f.fetchItem);
    f.release();
    await cache.load(many.map((i) => i.code));
    expect(f.lookups.map((l) => l.length)).toEqual([ITEM_LOOKUP_BATCH, ITEM_LOOKUP_BATCH, 50]);
    expect(cache.name('IT-249')).toBe('事项249');
    await cache.load(['IT-3', 'IT-200']);
    expect(f.lookups).toHaveLength(3);
  });

  it('a failed lookup leaves its codes as codes, and the items it did not name are asked for later', async () => {
    const f = fetcher([penalty]);
    const cache = new ItemCache(f.fetchItem);
    f.release();
    await cache.load(['DOWN-1', 'X-1']);
    expect([cache.name('DOWN-1'), cache.name('X-1')]).toEqual(['DOWN-1', 'X-1']);
    await cache.load(['PEN-01', 'X-1']);
    expect(f.lookups).toEqual([['DOWN-1', 'X-1'], ['PEN-01']]);
  });

  it('knows the items a listing page brought without asking for them', async () => {
    const f = fetcher([]);
    const cache = new ItemCache(f.fetchItem);
    cache.remember([penalty]);
    await cache.load(['PEN-01']);
    expect(cache.name('PEN-01')).toBe('行政处罚信息');
    expect(f.asked).toEqual([]);
  });
});
