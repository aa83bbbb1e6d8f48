/**
 * The public search's cursor (GET /v1/public/publicity `next` → `cursor`): base64url of
 * `{m, k}` — the match the search runs (`uscc`, `prefix`, `contains`) and the key of the last entry
 * the previous page read, where the next read starts (DynamoDB's ExclusiveStartKey). Opaque to
 * callers, and checked on the way in: the key must have the shape of a record key (and of its
 * byPublicity index key outside a USCC search) and lie inside the range the search reads — the
 * subject's partition for a USCC, the prefix's index range for a name prefix, the type's index
 * partitions for a contains scan. Anything else (not base64url JSON, another field, another
 * search's cursor, a key outside the range) is refused, so a cursor can only continue the search
 * it came from; a hand-edited key inside that range merely skips entries the caller could page to.
 */
import { PUBLICITY_TYPES, type Publicity } from '#core/catalog';
import { publicityPartition } from '#core/publicity';

export type Match = 'uscc' | 'prefix' | 'contains';

/** A record's table key, plus its byPublicity index key when the read was of the index. */
export interface StartKey {
  pk: string;
  sk: string;
  pubpk?: string;
  pubsk?: string;
}

export class InvalidPublicCursor extends Error {}

/** Longest cursor accepted: a key holds a company name (the index sort key) and a record key. */
export const MAX_CURSOR_LENGTH = 1200;

const RECORD_ID = '[A-Za-z0-9_-]{22}';
/** `REC#{provider}#{item}#{recordId}` (core/record-id.ts). */
const RECORD_SK = new RegExp(`^REC#[^#]{1,64}#[^#]{1,64}#${RECORD_ID}$`);
const USCC_KEY = /^[0-9A-Z]{18}$/;
const INDEX_SK_TAIL = new RegExp(`#${RECORD_ID}$`);
const MATCHES: readonly Match[] = ['uscc', 'prefix', 'contains'];

export function encodeCursor(match: Match, key: StartKey): string {
  return Buffer.from(JSON.stringify({ m: match, k: key }), 'utf8').toString('base64url');
}

/**
 * The start key a cursor carries, when it continues this search (`match` is the mode the search
 * is in: `uscc` for a USCC `term`, otherwise `prefix` or `contains` as the cursor says).
 */
export function decodeCursor(cursor: string, search: { type: Publicity; term: string; byUscc: boolean }): { match: Match; key: StartKey } {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidPublicCursor('the cursor is not one this search returned');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPublicCursor('the cursor is not one this search returned');
  }
  const { m, k } = (parsed ?? {}) as { m?: unknown; k?: unknown };
  if (typeof m !== 'string' || !MATCHES.includes(m as Match) || typeof k !== 'object' || k === null || Array.isArray(k)) {
    throw new InvalidPublicCursor('the cursor is not one this search returned');
  }
  const match = m as Match;
  const key = k as Record<string, unknown>;
  const names = Object.keys(key).sort().join(',');
  const strings = Object.values(key).every((v) => typeof v === 'string');
  if (!strings || typeof key.pk !== 'string' || typeof key.sk !== 'string' || !USCC_KEY.test(key.pk) || !RECORD_SK.test(key.sk)) {
    throw new InvalidPublicCursor('the cursor is not one this search returned');
  }
  if (search.byUscc !== (match === 'uscc')) throw new InvalidPublicCursor(`the cursor continues a ${match} search, not this one`);
  if (match === 'uscc') {
    if (names !== 'pk,sk' || key.pk !== search.term) throw new InvalidPublicCursor('the cursor continues the search of another company');
    return { match, key: { pk: key.pk, sk: key.sk } };
  }
  if (names !== 'pk,pubpk,pubsk,sk' || typeof key.pubpk !== 'string' || typeof key.pubsk !== 'string' || !INDEX_SK_TAIL.test(key.pubsk)) {
    throw new InvalidPublicCursor('the cursor is not one this search returned');
  }
  const inRange =
    match === 'prefix'
      ? key.pubpk === publicityPartition(search.type, search.term) && key.pubsk.startsWith(search.term)
      : // a Scan walks the whole index: its position may be in either type's partitions
        PUBLICITY_TYPES.some((t) => (key.pubpk as string).startsWith(`PUB#${t}#`) && (key.pubpk as string).length > `PUB#${t}#`.length);
  if (!inRange) throw new InvalidPublicCursor('the cursor continues another search');
  return { match, key: { pk: key.pk, sk: key.sk, pubpk: key.pubpk, pubsk: key.pubsk } };
}
