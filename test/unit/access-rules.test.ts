/**
 * The access rules (docs/domain.md, Who may see what) as a table: role × disclosure × subject type × purpose
 * declared/undeclared × authorisation state, each row with the exact set of visible items or the
 * exact refusal.
 */
import { describe, expect, it } from 'vitest';
import { decideAccess, type AccessInput, type AuthorizationGrant, type Disclosure } from '#core/access-rules';

const NOW = '2026-11-26T08:00:00.000Z';
const LEGAL = { type: 'LEGAL' as const, id: '91310000631696382C', key: '91310000631696382C' };
const OTHER_LEGAL = { type: 'LEGAL' as const, id: '91310115MA1K3BTP2B', key: '91310115MA1K3BTP2B' };
const NATURAL = { type: 'NATURAL' as const, id: '11010519491231002X', key: 'a'.repeat(64) };
const OTHER_NATURAL = { type: 'NATURAL' as const, id: '360426199101010071', key: 'b'.repeat(64) };

/** One record of every disclosure per subject type; "…2" items are not declared for ADMIN_APPROVAL. */
const RECORDS: Record<'LEGAL' | 'NATURAL', Array<{ item: string; disclosure: Disclosure }>> = {
  LEGAL: [
    { item: 'L-PUB', disclosure: 'PUBLIC' },
    { item: 'L-PUB2', disclosure: 'PUBLIC' },
    { item: 'L-GOV', disclosure: 'GOV_SHARE' },
    { item: 'L-GOV2', disclosure: 'GOV_SHARE' },
    { item: 'L-AUTH', disclosure: 'AUTHORIZED_QUERY' },
    { item: 'L-AUTH2', disclosure: 'AUTHORIZED_QUERY' },
  ],
  NATURAL: [
    { item: 'N-PUB', disclosure: 'PUBLIC' },
    { item: 'N-GOV', disclosure: 'GOV_SHARE' },
    { item: 'N-GOV2', disclosure: 'GOV_SHARE' },
    { item: 'N-AUTH', disclosure: 'AUTHORIZED_QUERY' },
    { item: 'N-AUTH2', disclosure: 'AUTHORIZED_QUERY' },
  ],
};

const APPLICATIONS = [
  { unit: 'U-GOV', purpose: 'ADMIN_APPROVAL', items: ['L-PUB', 'L-GOV', 'L-AUTH', 'N-GOV', 'N-AUTH'] },
  { unit: 'U-GOV', purpose: 'INSPECTION', items: ['L-GOV2', 'N-GOV2'] },
  { unit: 'U-OTHER', purpose: 'FUNDING', items: ['L-GOV', 'L-GOV2', 'L-AUTH', 'L-AUTH2'] },
];

function grant(over: Partial<AuthorizationGrant> = {}): AuthorizationGrant {
  return {
    ref: 'AUTH-TEST',
    subjectType: 'NATURAL',
    subjectKey: NATURAL.key,
    grantee: 'U-GOV',
    purpose: 'ADMIN_APPROVAL',
    items: ['N-AUTH'],
    expiresAt: '2027-01-01T00:00:00.000Z',
    revokedAt: null,
    ...over,
  };
}
const marketGrant = (over: Partial<AuthorizationGrant> = {}) => grant({ grantee: 'M-AGENCY', purpose: 'FUNDING', ...over });
const legalGrant = (over: Partial<AuthorizationGrant> = {}) => grant({ subjectType: 'LEGAL', subjectKey: LEGAL.key, items: ['L-AUTH'], ...over });

const gov = { role: 'gov' as const, unit: 'U-GOV' };
const market = { role: 'market' as const, unit: 'M-AGENCY' };

type Expected = { visible: string[]; unmasked?: boolean; audit?: boolean } | { kind: 'invalid' | 'forbidden'; code: string; message?: RegExp };

interface Case {
  name: string;
  input: Omit<AccessInput, 'applications' | 'now'>;
  expected: Expected;
}

const CASES: Case[] = [
  // ---- gov, legal subject
  {
    name: 'gov/legal/declared purpose: PUBLIC + declared GOV_SHARE and AUTHORIZED_QUERY',
    input: { caller: gov, subject: LEGAL, purpose: 'ADMIN_APPROVAL' },
    expected: { visible: ['L-PUB', 'L-PUB2', 'L-GOV', 'L-AUTH'], unmasked: false },
  },
  {
    name: 'gov/legal/other declared purpose: its own items only',
    input: { caller: gov, subject: LEGAL, purpose: 'INSPECTION' },
    expected: { visible: ['L-PUB', 'L-PUB2', 'L-GOV2'] },
  },
  { name: 'gov/legal/no purpose', input: { caller: gov, subject: LEGAL }, expected: { kind: 'invalid', code: 'PURPOSE_REQUIRED' } },
  { name: 'gov/legal/empty purpose', input: { caller: gov, subject: LEGAL, purpose: '' }, expected: { kind: 'invalid', code: 'PURPOSE_REQUIRED' } },
  {
    name: 'gov/legal/unknown purpose',
    input: { caller: gov, subject: LEGAL, purpose: 'CURIOSITY' },
    expected: { kind: 'invalid', code: 'INVALID_PURPOSE', message: /CURIOSITY/ },
  },
  {
    name: 'gov/legal/purpose declared only by another unit',
    input: { caller: gov, subject: LEGAL, purpose: 'FUNDING' },
    expected: { kind: 'forbidden', code: 'PURPOSE_NOT_DECLARED', message: /U-GOV.*FUNDING.*ADMIN_APPROVAL, INSPECTION/ },
  },
  {
    name: 'gov/legal/unit without applications',
    input: { caller: { role: 'gov', unit: 'U-NONE' }, subject: LEGAL, purpose: 'ADMIN_APPROVAL' },
    expected: { kind: 'forbidden', code: 'PURPOSE_NOT_DECLARED', message: /U-NONE.*none/ },
  },
  {
    name: 'gov/legal/no unit claim',
    input: { caller: { role: 'gov' }, subject: LEGAL, purpose: 'ADMIN_APPROVAL' },
    expected: { kind: 'forbidden', code: 'PURPOSE_NOT_DECLARED' },
  },
  {
    name: 'gov/legal/valid legal authorisation changes nothing declared',
    input: { caller: gov, subject: LEGAL, purpose: 'ADMIN_APPROVAL', authorization: legalGrant() },
    expected: { visible: ['L-PUB', 'L-PUB2', 'L-GOV', 'L-AUTH'] },
  },
  {
    name: 'gov/legal/cited authorisation of another subject',
    input: { caller: gov, subject: LEGAL, purpose: 'ADMIN_APPROVAL', authorization: legalGrant({ subjectKey: OTHER_LEGAL.key }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /another subject/ },
  },
  // ---- gov, natural subject
  {
    name: 'gov/natural/declared, no authorisation: no AUTHORIZED_QUERY',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL' },
    expected: { visible: ['N-PUB', 'N-GOV'], unmasked: false },
  },
  {
    name: 'gov/natural/declared + valid authorisation of the item',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant() },
    expected: { visible: ['N-PUB', 'N-GOV', 'N-AUTH'] },
  },
  {
    name: 'gov/natural/authorisation of every item still limited to declared items',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ items: undefined }) },
    expected: { visible: ['N-PUB', 'N-GOV', 'N-AUTH'] },
  },
  {
    name: 'gov/natural/authorisation of an item outside the declared scope',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ items: ['N-AUTH2'] }) },
    expected: { visible: ['N-PUB', 'N-GOV'] },
  },
  { name: 'gov/natural/other purpose', input: { caller: gov, subject: NATURAL, purpose: 'INSPECTION' }, expected: { visible: ['N-PUB', 'N-GOV2'] } },
  {
    name: 'gov/natural/undeclared purpose',
    input: { caller: gov, subject: NATURAL, purpose: 'RESIDENCE' },
    expected: { kind: 'forbidden', code: 'PURPOSE_NOT_DECLARED' },
  },
  {
    name: 'gov/natural/expired authorisation',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ expiresAt: '2026-11-01T00:00:00.000Z' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /expired/ },
  },
  {
    name: 'gov/natural/authorisation expiring exactly now',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ expiresAt: NOW }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /expired/ },
  },
  {
    name: 'gov/natural/revoked authorisation',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ revokedAt: '2026-11-20T00:00:00.000Z' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /revoked/ },
  },
  {
    name: 'gov/natural/authorisation to another unit',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ grantee: 'U-OTHER' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /granted to U-OTHER/ },
  },
  {
    name: 'gov/natural/authorisation by another person',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ subjectKey: OTHER_NATURAL.key }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /another subject/ },
  },
  {
    name: 'gov/natural/authorisation of a legal subject with the same key',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ subjectType: 'LEGAL' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID' },
  },
  {
    name: 'gov/natural/authorisation for another purpose',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: grant({ purpose: 'INSPECTION' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /purpose INSPECTION/ },
  },
  {
    name: 'gov/natural/cited authorisation not found',
    input: { caller: gov, subject: NATURAL, purpose: 'ADMIN_APPROVAL', authorization: null },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /does not exist/ },
  },
  // ---- market
  { name: 'market/legal: PUBLIC only', input: { caller: market, subject: LEGAL }, expected: { visible: ['L-PUB', 'L-PUB2'], unmasked: false } },
  {
    name: 'market/legal with a purpose: PUBLIC only',
    input: { caller: market, subject: LEGAL, purpose: 'FUNDING' },
    expected: { visible: ['L-PUB', 'L-PUB2'] },
  },
  { name: 'market/legal/unknown purpose', input: { caller: market, subject: LEGAL, purpose: 'NOSY' }, expected: { kind: 'invalid', code: 'INVALID_PURPOSE' } },
  {
    name: 'market/legal/valid authorisation adds its AUTHORIZED_QUERY items',
    input: { caller: market, subject: LEGAL, purpose: 'ADMIN_APPROVAL', authorization: legalGrant({ grantee: 'M-AGENCY' }) },
    expected: { visible: ['L-PUB', 'L-PUB2', 'L-AUTH'] },
  },
  {
    name: 'market/legal/authorisation never opens GOV_SHARE',
    input: { caller: market, subject: LEGAL, purpose: 'ADMIN_APPROVAL', authorization: legalGrant({ grantee: 'M-AGENCY', items: undefined }) },
    expected: { visible: ['L-PUB', 'L-PUB2', 'L-AUTH', 'L-AUTH2'] },
  },
  {
    name: 'market/natural without authorisation',
    input: { caller: market, subject: NATURAL },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_REQUIRED' },
  },
  {
    name: 'market/natural/valid authorisation: covered PUBLIC and AUTHORIZED_QUERY, never GOV_SHARE',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ items: ['N-AUTH', 'N-GOV'] }) },
    expected: { visible: ['N-AUTH'] },
  },
  {
    name: 'market/natural/valid authorisation of every item',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ items: undefined }) },
    expected: { visible: ['N-PUB', 'N-AUTH', 'N-AUTH2'] },
  },
  {
    name: 'market/natural/authorisation, matching purpose given',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ items: ['N-PUB'] }) },
    expected: { visible: ['N-PUB'] },
  },
  {
    name: 'market/natural/authorisation cited without a purpose',
    input: { caller: market, subject: NATURAL, authorization: marketGrant() },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /bound to purpose FUNDING/ },
  },
  {
    name: 'market/legal/authorisation cited without a purpose',
    input: { caller: market, subject: LEGAL, authorization: legalGrant({ grantee: 'M-AGENCY' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /bound to purpose/ },
  },
  {
    name: 'market/natural/authorisation for another purpose',
    input: { caller: market, subject: NATURAL, purpose: 'BIDDING', authorization: marketGrant() },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /purpose FUNDING/ },
  },
  {
    name: 'market/natural/expired authorisation',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ expiresAt: '2025-01-01T00:00:00.000Z' }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /expired/ },
  },
  {
    name: 'market/natural/revoked authorisation',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ revokedAt: NOW }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /revoked/ },
  },
  {
    name: 'market/natural/authorisation to a government unit',
    input: { caller: market, subject: NATURAL, authorization: grant() },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID', message: /granted to U-GOV/ },
  },
  {
    name: 'market/natural/authorisation of another person',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant({ subjectKey: OTHER_NATURAL.key }) },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID' },
  },
  {
    name: 'market/natural/market caller without a unit',
    input: { caller: { role: 'market' }, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant() },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID' },
  },
  {
    name: 'market/natural/cited authorisation not found',
    input: { caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: null },
    expected: { kind: 'forbidden', code: 'AUTHORIZATION_INVALID' },
  },
  // ---- subject
  {
    name: 'subject/legal/own file: everything, unmasked',
    input: { caller: { role: 'subject', subject: { type: 'LEGAL', id: LEGAL.id } }, subject: LEGAL },
    expected: { visible: RECORDS.LEGAL.map((r) => r.item), unmasked: true },
  },
  {
    name: 'subject/natural/own file: everything, unmasked',
    input: { caller: { role: 'subject', subject: { type: 'NATURAL', id: NATURAL.id } }, subject: NATURAL },
    expected: { visible: RECORDS.NATURAL.map((r) => r.item), unmasked: true },
  },
  {
    name: "subject/natural/another person's file",
    input: { caller: { role: 'subject', subject: { type: 'NATURAL', id: OTHER_NATURAL.id } }, subject: NATURAL },
    expected: { kind: 'forbidden', code: 'NOT_YOUR_FILE' },
  },
  {
    name: "subject/legal/another company's file",
    input: { caller: { role: 'subject', subject: { type: 'LEGAL', id: OTHER_LEGAL.id } }, subject: LEGAL },
    expected: { kind: 'forbidden', code: 'NOT_YOUR_FILE' },
  },
  {
    name: 'subject/same id, other subject type',
    input: { caller: { role: 'subject', subject: { type: 'LEGAL', id: NATURAL.id } }, subject: NATURAL },
    expected: { kind: 'forbidden', code: 'NOT_YOUR_FILE' },
  },
  { name: 'subject/token without a subject', input: { caller: { role: 'subject' }, subject: NATURAL }, expected: { kind: 'forbidden', code: 'NOT_YOUR_FILE' } },
  {
    name: 'subject/an authorisation does not open another file',
    input: { caller: { role: 'subject', subject: { type: 'NATURAL', id: OTHER_NATURAL.id } }, subject: NATURAL, authorization: grant() },
    expected: { kind: 'forbidden', code: 'NOT_YOUR_FILE' },
  },
  // ---- admin, provider
  {
    name: 'admin/legal: everything, masked',
    input: { caller: { role: 'admin' }, subject: LEGAL },
    expected: { visible: RECORDS.LEGAL.map((r) => r.item), unmasked: false },
  },
  {
    name: 'admin/natural: everything, masked',
    input: { caller: { role: 'admin' }, subject: NATURAL },
    expected: { visible: RECORDS.NATURAL.map((r) => r.item), unmasked: false },
  },
  // ---- the admin audit view
  {
    name: 'admin/legal/audit: everything, masked, audit',
    input: { caller: { role: 'admin' }, subject: LEGAL, audit: true },
    expected: { visible: RECORDS.LEGAL.map((r) => r.item), unmasked: false, audit: true },
  },
  {
    name: 'admin/natural/audit: everything, masked, audit',
    input: { caller: { role: 'admin' }, subject: NATURAL, audit: true },
    expected: { visible: RECORDS.NATURAL.map((r) => r.item), unmasked: false, audit: true },
  },
  {
    name: 'gov/audit: refused',
    input: { caller: gov, subject: LEGAL, purpose: 'ADMIN_APPROVAL', audit: true },
    expected: { kind: 'forbidden', code: 'AUDIT_ADMIN_ONLY' },
  },
  { name: 'market/audit: refused', input: { caller: market, subject: LEGAL, audit: true }, expected: { kind: 'forbidden', code: 'AUDIT_ADMIN_ONLY' } },
  {
    name: 'subject/own file/audit: refused',
    input: { caller: { role: 'subject', subject: { type: 'LEGAL', id: LEGAL.id } }, subject: LEGAL, audit: true },
    expected: { kind: 'forbidden', code: 'AUDIT_ADMIN_ONLY' },
  },
  {
    name: 'provider/audit: refused',
    input: { caller: { role: 'provider', unit: 'SH-AMR' }, subject: LEGAL, audit: true },
    expected: { kind: 'forbidden', code: 'AUDIT_ADMIN_ONLY' },
  },
  { name: 'provider/legal', input: { caller: { role: 'provider', unit: 'SH-AMR' }, subject: LEGAL }, expected: { kind: 'forbidden', code: 'FORBIDDEN' } },
  {
    name: 'provider/natural',
    input: { caller: { role: 'provider', unit: 'SH-AMR' }, subject: NATURAL, purpose: 'ADMIN_APPROVAL' },
    expected: { kind: 'forbidden', code: 'FORBIDDEN' },
  },
];

describe('decideAccess', () => {
  it.each(CASES)('$name', ({ input, expected }) => {
    const decision = decideAccess({ ...input, applications: APPLICATIONS, now: NOW });
    if ('kind' in expected) {
      expect(decision).toMatchObject({ allowed: false, kind: expected.kind, code: expected.code });
      if (expected.message && !decision.allowed) expect(decision.message).toMatch(expected.message);
      return;
    }
    if (!decision.allowed) throw new Error(`refused: ${decision.code} ${decision.message}`);
    const visible = RECORDS[input.subject.type].filter((r) => decision.visible(r)).map((r) => r.item);
    expect(visible).toEqual(expected.visible);
    if (expected.unmasked !== undefined) expect(decision.unmasked).toBe(expected.unmasked);
    expect(decision.audit).toBe(expected.audit ?? false);
    expect(decision.scope).not.toBe('');
  });

  it('only a subject reading its own file gets it unmasked', () => {
    for (const c of CASES) {
      const d = decideAccess({ ...c.input, applications: APPLICATIONS, now: NOW });
      if (d.allowed) expect(d.unmasked).toBe(c.input.caller.role === 'subject');
    }
  });

  it("visibility follows the record's item and disclosure, not the subject type alone", () => {
    const d = decideAccess({
      caller: gov,
      subject: NATURAL,
      purpose: 'ADMIN_APPROVAL',
      authorization: grant({ items: ['N-AUTH', 'N-GOV2'] }),
      applications: APPLICATIONS,
      now: NOW,
    });
    if (!d.allowed) throw new Error('refused');
    // an authorisation never opens an undeclared item to a government unit, even GOV_SHARE
    expect(d.visible({ item: 'N-GOV2', disclosure: 'GOV_SHARE' })).toBe(false);
    // an item the catalog moved to PUBLIC is visible whatever was declared
    expect(d.visible({ item: 'N-GOV2', disclosure: 'PUBLIC' })).toBe(true);
    expect(d.scope).toMatch(/U-GOV.*ADMIN_APPROVAL.*AUTH-TEST/);
  });

  it('the log scope names the unit, purpose and authorisation', () => {
    const d = decideAccess({ caller: market, subject: NATURAL, purpose: 'FUNDING', authorization: marketGrant(), applications: APPLICATIONS, now: NOW });
    expect(d.allowed && d.scope).toMatch(/M-AGENCY.*AUTH-TEST.*N-AUTH/);
  });
});
