/**
 * The console's item labels (console/src/item-labels.ts): each item on screen is read by key once,
 * however many views ask at once; an item the API cannot answer for stands as its code and is not
 * asked for again; nothing reads the whole catalog.
 */
import { describe, expect, it } from 'vitest';
import { ItemCache, type CatalogItem } from '../../console/src/item-cache.ts';

const penalty: CatalogItem = { code: 'PEN-01', name: '行政处罚信息', provider: 'SCJ', fields: [{ key: 'fineWan', label: '罚款金额（万元）' }] };

function fetcher(known: CatalogItem[]) {
  const asked: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const fetchItem = async (code: string) => {
    asked.push(code);
    await gate;
    const item = known.find((i) => i.code === code);
    if (!item) throw new Error(`no item ${code}`);
    return item;
  };
  return { asked, release, fetchItem };
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
});
