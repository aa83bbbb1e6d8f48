/** The public search's cursor (functions/query/public-cursor.ts): it continues only the search it came from. */
import { describe, expect, it } from 'vitest';
import { publicityPartition } from '#core/publicity';
import { recordSortKey } from '#core/record-id';
import { decodeCursor, encodeCursor, InvalidPublicCursor, MAX_CURSOR_LENGTH } from '../../functions/query/public-cursor.ts';

const USCC = '91310000MA1FL8LQ5X';
const OTHER = '91310115MA1H7XXX0T';
const NAME = '上海申城贸易有限公司';
const sk = recordSortKey('SH-AMR', 'AMR-LICENSING', 'LIC-001');
const recordId = sk.split('#').at(-1)!;
const indexKey = { pk: USCC, sk, pubpk: publicityPartition('LICENSING', NAME), pubsk: `${NAME}#${recordId}` };
const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('the public search cursor', () => {
  it('round-trips each match, inside its own range', () => {
    expect(decodeCursor(encodeCursor('uscc', { pk: USCC, sk }), { type: 'LICENSING', term: USCC, byUscc: true })).toEqual({
      match: 'uscc',
      key: { pk: USCC, sk },
    });
    expect(decodeCursor(encodeCursor('prefix', indexKey), { type: 'LICENSING', term: '上海申城', byUscc: false })).toEqual({ match: 'prefix', key: indexKey });
    // a scan's position may be in either type's partitions of the index
    const penaltyKey = { ...indexKey, pubpk: publicityPartition('PENALTY', NAME) };
    expect(decodeCursor(encodeCursor('contains', penaltyKey), { type: 'LICENSING', term: '贸易', byUscc: false })).toEqual({
      match: 'contains',
      key: penaltyKey,
    });
  });

  it.each([
    ['not base64url', '这不是游标', { type: 'LICENSING', term: NAME, byUscc: false }],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['not JSON', Buffer.from('{').toString('base64url'), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['JSON null', encode(null), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['an unknown match', encode({ m: 'all', k: indexKey }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['a key that is not a record', encode({ m: 'prefix', k: { ...indexKey, sk: 'REGISTRATION' } }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['a number in the key', encode({ m: 'prefix', k: { ...indexKey, pk: 91310000 } }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['an extra key attribute', encode({ m: 'prefix', k: { ...indexKey, n: 'x' } }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['an index cursor without its index key', encode({ m: 'prefix', k: { pk: USCC, sk } }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['the other type', encodeCursor('prefix', indexKey), { type: 'PENALTY', term: NAME, byUscc: false }],
    ['another prefix', encodeCursor('prefix', indexKey), { type: 'LICENSING', term: '上海浦东', byUscc: false }],
    ['a name cursor for a USCC search', encodeCursor('prefix', indexKey), { type: 'LICENSING', term: USCC, byUscc: true }],
    ['a USCC cursor for a name search', encodeCursor('uscc', { pk: USCC, sk }), { type: 'LICENSING', term: NAME, byUscc: false }],
    ['another company', encodeCursor('uscc', { pk: USCC, sk }), { type: 'LICENSING', term: OTHER, byUscc: true }],
    ['a USCC cursor with an index key', encodeCursor('uscc', indexKey), { type: 'LICENSING', term: USCC, byUscc: true }],
    ['a scan outside the index', encodeCursor('contains', { ...indexKey, pubpk: 'EXP#3' }), { type: 'LICENSING', term: '贸易', byUscc: false }],
  ] as const)('refuses %s', (_name, cursor, search) => {
    expect(() => decodeCursor(cursor, search)).toThrow(InvalidPublicCursor);
  });
});
