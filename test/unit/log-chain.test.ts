/** The query log's hash chain: recomputation finds every kind of tampering, and names where. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainRefKey, entryDigest, GENESIS, makeLink, verifyChain, type ChainLink } from '#core/log-chain';

const DAY = '2026-12-07';
const entry = (n: number) => ({
  pk: `SUBJ#LEGAL#9131000${n}`,
  sk: `2026-12-07T0${n}:00:00.000Z#q${n}`,
  queryId: `q${n}`,
  outcome: 'ALLOWED',
  records: n,
  items: ['A', 'B'],
});

/** Five entries in three links (2 + 1 + 2), as three append calls would write them. */
function day() {
  const entries = [1, 2, 3, 4, 5].map(entry);
  const stored = new Map<string, Record<string, unknown>>(entries.map((e) => [chainRefKey(e), e]));
  const refs = entries.map((e) => ({ pk: e.pk, sk: e.sk, digest: entryDigest(e) }));
  const links: ChainLink[] = [];
  for (const group of [refs.slice(0, 2), refs.slice(2, 3), refs.slice(3)]) links.push(makeLink(links.at(-1), DAY, group));
  return { entries, stored, links };
}

describe('log chain', () => {
  it('digests a stored item whatever its key order, and skips absent attributes', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }], u: undefined })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(entryDigest({ a: 1, b: 2 })).toBe(entryDigest({ b: 2, a: 1 }));
  });

  it('links each day from the genesis hash, seq by seq', () => {
    const { links } = day();
    expect(links.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(links[0]!.prev).toBe(GENESIS);
    expect(links[1]!.prev).toBe(links[0]!.hash);
  });

  it('verifies an intact day', () => {
    const { links, stored } = day();
    expect(verifyChain(DAY, links, stored)).toEqual({ day: DAY, ok: true, links: 3, entries: 5, firstBroken: null });
    expect(verifyChain(DAY, [], new Map())).toMatchObject({ ok: true, links: 0, entries: 0 });
  });

  it('counts an entry linked twice (a retried append) once', () => {
    const { links, stored } = day();
    links.push(makeLink(links.at(-1), DAY, links[2]!.entries));
    expect(verifyChain(DAY, links, stored)).toMatchObject({ ok: true, links: 4, entries: 5 });
  });

  it('names an entry changed after it was logged', () => {
    const { links, stored, entries } = day();
    stored.set(chainRefKey(entries[2]!), { ...entries[2]!, outcome: 'REFUSED' });
    expect(verifyChain(DAY, links, stored)).toMatchObject({
      ok: false,
      entries: 2,
      firstBroken: { seq: 2, entry: { queryId: 'q3' }, reason: 'entry q3 was altered after it was logged' },
    });
  });

  it('names an entry deleted from the log', () => {
    const { links, stored, entries } = day();
    stored.delete(chainRefKey(entries[3]!));
    expect(verifyChain(DAY, links, stored).firstBroken).toMatchObject({
      seq: 3,
      entry: { sk: entries[3]!.sk },
      reason: expect.stringMatching(/missing from the log/),
    });
  });

  it('finds a removed, an altered and a forged link', () => {
    const { links, stored } = day();
    expect(verifyChain(DAY, [links[0]!, links[2]!], stored).firstBroken).toMatchObject({ seq: 2, reason: 'link 2 is missing (the next stored link is 3)' });
    const altered = [...links];
    altered[1] = { ...links[1]!, entries: [] }; // hides entry 3 from the chain
    expect(verifyChain(DAY, altered, stored).firstBroken).toMatchObject({ seq: 2, reason: expect.stringMatching(/altered/) });
    const forged = [...links];
    forged[1] = makeLink({ seq: 1, hash: 'f'.repeat(64) }, DAY, []); // rehashed, but not after link 1
    expect(verifyChain(DAY, forged, stored).firstBroken).toMatchObject({ seq: 2, reason: expect.stringMatching(/does not follow link 1/) });
    expect(verifyChain('2026-12-08', links, stored).firstBroken).toMatchObject({ seq: 1, reason: 'link 1 names day 2026-12-07' });
  });

  it('reports an entry of the day that no link names', () => {
    const { links, stored } = day();
    const slipped = entry(6);
    stored.set(chainRefKey(slipped), slipped);
    expect(verifyChain(DAY, links, stored)).toMatchObject({
      ok: false,
      entries: 5,
      firstBroken: { seq: 0, entry: { queryId: 'q6' }, reason: expect.stringMatching(/^1 entry of the day is in no link/) },
    });
  });
});
