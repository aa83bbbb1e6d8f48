/**
 * The query log's hash chain (tamper evidence). Each China day has its own chain of links; a link
 * names the log entries appended in one call (their keys and a SHA-256 digest of each stored item)
 * and carries hash = SHA-256(previous link's hash, day, seq, its entries). Changing, removing or
 * back-dating an entry, or removing or rewriting a link, breaks the recomputation from that point;
 * an entry slipped in without a link shows as unchained. Pure: the adapter reads and writes.
 */
import { createHash } from 'node:crypto';

/** The `prev` of a day's first link. */
export const GENESIS = '0'.repeat(64);

export interface EntryRef {
  pk: string;
  sk: string;
  /** entryDigest of the stored item. */
  digest: string;
}

export interface ChainLink {
  day: string;
  seq: number;
  prev: string;
  hash: string;
  entries: EntryRef[];
}

/** JSON with object keys sorted at every level: one byte sequence per value, whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Digest of a log entry exactly as stored (every attribute, keys included). */
export const entryDigest = (item: Record<string, unknown>): string => sha256(canonicalJson(item));

export function linkHash(prev: string, day: string, seq: number, entries: readonly EntryRef[]): string {
  return sha256(canonicalJson({ prev, day, seq, entries: entries.map((e) => [e.pk, e.sk, e.digest]) }));
}

export function makeLink(prev: { seq: number; hash: string } | undefined, day: string, entries: EntryRef[]): ChainLink {
  const seq = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? GENESIS;
  return { day, seq, prev: prevHash, hash: linkHash(prevHash, day, seq, entries), entries };
}

export interface ChainBreak {
  /** The link where recomputation first fails (0 when the problem is an entry no link names). */
  seq: number;
  /** The entry concerned, when it is one entry (its key in the log table). */
  entry?: { pk: string; sk: string; queryId?: string };
  reason: string;
}

export interface ChainVerdict {
  day: string;
  ok: boolean;
  links: number;
  /** Entries the chain names (an entry named by two links — a retried append — counts once). */
  entries: number;
  firstBroken: ChainBreak | null;
}

const refKey = (r: { pk: string; sk: string }) => `${r.pk}\u0000${r.sk}`;

/**
 * Recomputes a day's chain. `links` in seq order; `stored` the day's entries as the table holds
 * them (found through the links and through the by-month index), keyed by refKey.
 */
export function verifyChain(day: string, links: readonly ChainLink[], stored: ReadonlyMap<string, Record<string, unknown>>): ChainVerdict {
  const named = new Set<string>();
  const verdict = (firstBroken: ChainBreak | null): ChainVerdict => ({ day, ok: firstBroken === null, links: links.length, entries: named.size, firstBroken });
  let prev = GENESIS;
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    const seq = i + 1;
    if (link.seq !== seq) return verdict({ seq, reason: `link ${seq} is missing (the next stored link is ${link.seq})` });
    if (link.day !== day) return verdict({ seq, reason: `link ${seq} names day ${link.day}` });
    if (link.prev !== prev) return verdict({ seq, reason: `link ${seq} does not follow link ${seq - 1} (its prev hash differs)` });
    if (linkHash(prev, day, seq, link.entries) !== link.hash) return verdict({ seq, reason: `link ${seq} was altered (its hash does not match its content)` });
    for (const ref of link.entries) {
      const item = stored.get(refKey(ref));
      const entry = { pk: ref.pk, sk: ref.sk, ...(item?.queryId ? { queryId: String(item.queryId) } : {}) };
      if (!item) return verdict({ seq, entry, reason: `entry ${ref.sk} named by link ${seq} is missing from the log` });
      if (entryDigest(item) !== ref.digest) return verdict({ seq, entry, reason: `entry ${String(item.queryId ?? ref.sk)} was altered after it was logged` });
      named.add(refKey(ref));
    }
    prev = link.hash;
  }
  const unchained = [...stored.entries()].filter(([k]) => !named.has(k)).sort(([, a], [, b]) => String(a.sk).localeCompare(String(b.sk)));
  if (unchained.length) {
    const [, item] = unchained[0]!;
    return verdict({
      seq: 0,
      entry: { pk: String(item.pk), sk: String(item.sk), queryId: String(item.queryId) },
      reason: `${unchained.length} entr${unchained.length === 1 ? 'y' : 'ies'} of the day ${unchained.length === 1 ? 'is' : 'are'} in no link (inserted, or its append was cut off before the link)`,
    });
  }
  return verdict(null);
}

export { refKey as chainRefKey };
