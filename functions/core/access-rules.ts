/**
 * Who may see which records of a credit file (docs/domain.md, Who may see what; SH-REG-2017 Art 17 and 28): one pure
 * decision per query, taken before any record is read. Expiry, repair, revocation and withdrawal
 * are not decided here; the caller filters those with isServable on every read path.
 *
 *   gov     PUBLIC of every item; GOV_SHARE and AUTHORIZED_QUERY of the items its unit declared
 *           for the purpose (应用清单); a natural person's AUTHORIZED_QUERY records also need the
 *           subject's written authorisation (书面授权) covering the item.
 *   market  PUBLIC of legal subjects; with a valid authorisation also the AUTHORIZED_QUERY records
 *           it covers; a natural person only with a valid authorisation (its items, PUBLIC or
 *           AUTHORIZED_QUERY). A query citing an authorisation names its purpose (any role).
 *   subject its own file, everything, unmasked.
 *   admin   everything, masked. With `audit` (admins only) also the records no one else is served
 *           — repaired, revoked (tombstones), deleted, expired, withdrawn — each with its status.
 *   provider no credit files (providers read their batches).
 */
import { PURPOSES, type Purpose } from './catalog.ts';
import type { DomainErrorKind } from './errors.ts';
import { PURPOSE_NAMES } from './labels.ts';

export type Disclosure = 'PUBLIC' | 'GOV_SHARE' | 'AUTHORIZED_QUERY';

export interface AuthorizationGrant {
  ref: string;
  subjectType: 'LEGAL' | 'NATURAL';
  /** USCC, or the natural person's HMAC key. */
  subjectKey: string;
  /** Unit code. */
  grantee: string;
  purpose: Purpose;
  items?: string[];
  /** ISO timestamp. */
  expiresAt: string;
  revokedAt?: string | null;
}

export interface AccessInput {
  caller: {
    role: 'admin' | 'provider' | 'gov' | 'market' | 'subject';
    unit?: string;
    /** Normalised USCC / 18-digit ID. */
    subject?: { type: 'LEGAL' | 'NATURAL'; id: string };
  };
  /** id normalised; key is the partition key (USCC or HMAC). */
  subject: { type: 'LEGAL' | 'NATURAL'; id: string; key: string };
  purpose?: string;
  /** The grant the query cites (looked up by the handler), null if cited but not found. */
  authorization?: AuthorizationGrant | null;
  applications: ReadonlyArray<{ unit: string; purpose: string; items: string[] }>;
  /** ISO timestamp. */
  now: string;
  /** The admin audit view: records that are not served any more, too. */
  audit?: boolean;
}

/** An access refusal is one of two domain refusals (core/errors); the HTTP adapter maps it to a status. */
export type AccessRefusalKind = Extract<DomainErrorKind, 'invalid' | 'forbidden'>;

export type AccessDecision =
  | {
      allowed: false;
      /** The kind of refusal (core/errors): the request is wrong, or the caller may not read this. */
      kind: AccessRefusalKind;
      code: string;
      message: string;
      /** Chinese, when it says more than the code's sentence. */
      messageZh?: string;
    }
  | {
      allowed: true;
      unmasked: boolean;
      /** Serve every stored record, servable or not (the admin audit view). */
      audit: boolean;
      /** Human-readable, for the log. */
      scope: string;
      visible(record: { item: string; disclosure: Disclosure }): boolean;
    };

type Refusal = Extract<AccessDecision, { allowed: false }>;

const refuse = (kind: AccessRefusalKind, code: string, message: string, messageZh?: string): Refusal =>
  messageZh === undefined ? { allowed: false, kind, code, message } : { allowed: false, kind, code, message, messageZh };

const isPurpose = (p: string): boolean => (PURPOSES as readonly string[]).includes(p);

/** Why a cited grant does not apply to this query, or null when it is valid. */
export function grantProblem(
  grant: AuthorizationGrant,
  q: { unit?: string; subjectType: 'LEGAL' | 'NATURAL'; subjectKey: string; purpose?: string; now: string },
): string | null {
  if (!q.unit || grant.grantee !== q.unit) return `it was granted to ${grant.grantee}, not to ${q.unit ?? 'a caller without a unit'}`;
  if (grant.subjectType !== q.subjectType || grant.subjectKey !== q.subjectKey) return 'it was given by another subject';
  // an authorisation is bound to its purpose: a query citing it names that purpose, always
  if (q.purpose === undefined || q.purpose === '') return `it is bound to purpose ${grant.purpose}, and the query names none (purpose=${grant.purpose})`;
  if (grant.purpose !== q.purpose) return `it covers purpose ${grant.purpose}, not ${q.purpose}`;
  if (grant.revokedAt) return `it was revoked at ${grant.revokedAt}`;
  const expires = Date.parse(grant.expiresAt);
  const now = Date.parse(q.now);
  if (!Number.isFinite(expires) || !(now < expires)) return `it expired at ${grant.expiresAt}`;
  return null;
}

/** Items the grant covers; an authorisation without items covers every item. */
const covers = (grant: AuthorizationGrant, item: string): boolean => !grant.items || grant.items.length === 0 || grant.items.includes(item);

const grantScope = (grant: AuthorizationGrant): string => `authorization ${grant.ref} (${grant.items?.length ? grant.items.join(',') : 'all items'})`;

/**
 * The cited authorisation: undefined when none is cited, the grant when valid, a refusal when it
 * is unknown or does not apply.
 */
function citedGrant(input: AccessInput, purpose: string | undefined): AuthorizationGrant | undefined | Refusal {
  if (input.authorization === undefined) return undefined;
  if (input.authorization === null) return refuse('forbidden', 'AUTHORIZATION_INVALID', 'the cited authorization does not exist');
  const problem = grantProblem(input.authorization, {
    unit: input.caller.unit,
    subjectType: input.subject.type,
    subjectKey: input.subject.key,
    purpose,
    now: input.now,
  });
  if (problem) return refuse('forbidden', 'AUTHORIZATION_INVALID', `authorization ${input.authorization.ref} does not apply: ${problem}`);
  return input.authorization;
}

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && (v as Refusal).allowed === false;

export function decideAccess(input: AccessInput): AccessDecision {
  const { caller } = input;
  if (input.audit && caller.role !== 'admin') {
    return refuse('forbidden', 'AUDIT_ADMIN_ONLY', 'the audit view (audit=true) is for platform administrators');
  }
  switch (caller.role) {
    case 'admin':
      return input.audit
        ? { allowed: true, unmasked: false, audit: true, scope: 'admin audit: every stored record, served or not', visible: () => true }
        : { allowed: true, unmasked: false, audit: false, scope: 'admin: every record', visible: () => true };
    case 'provider':
      return refuse('forbidden', 'FORBIDDEN', 'providers read their own batches, not credit files');
    case 'subject':
      return selfAccess(input);
    case 'gov':
      return govAccess(input);
    case 'market':
      return marketAccess(input);
    default:
      return refuse('forbidden', 'FORBIDDEN', `role '${String((caller as { role: unknown }).role)}' may not read credit files`);
  }
}

function selfAccess(input: AccessInput): AccessDecision {
  const own = input.caller.subject;
  if (!own || own.type !== input.subject.type || own.id !== input.subject.id) {
    return refuse('forbidden', 'NOT_YOUR_FILE', 'a subject may read only its own credit file');
  }
  return { allowed: true, unmasked: true, audit: false, scope: 'subject: own file, every record', visible: () => true };
}

function govAccess(input: AccessInput): AccessDecision {
  const { caller, subject, purpose } = input;
  if (purpose === undefined || purpose === '') {
    return refuse('invalid', 'PURPOSE_REQUIRED', `a government query needs a purpose (one of ${PURPOSES.join(', ')})`);
  }
  if (!isPurpose(purpose)) return refuse('invalid', 'INVALID_PURPOSE', `'${purpose}' is not a purpose; use one of ${PURPOSES.join(', ')}`);
  const unit = caller.unit ?? '(no unit)';
  const ownApps = input.applications.filter((a) => a.unit === caller.unit);
  const declared = new Set(ownApps.filter((a) => a.purpose === purpose).flatMap((a) => a.items));
  if (!ownApps.some((a) => a.purpose === purpose)) {
    const purposes = [...new Set(ownApps.map((a) => a.purpose))];
    return refuse(
      'forbidden',
      'PURPOSE_NOT_DECLARED',
      `unit ${unit} has not declared purpose ${purpose} in the catalog's applications; its declared purposes: ${purposes.length ? purposes.join(', ') : 'none'}`,
      `单位 ${unit} 的应用清单中没有「${PURPOSE_NAMES[purpose] ?? purpose}」这一查询用途；已申报的用途：${purposes.length ? purposes.map((x) => `${PURPOSE_NAMES[x] ?? x}（${x}）`).join('、') : '无'}`,
    );
  }
  const grant = citedGrant(input, purpose);
  if (isRefusal(grant)) return grant;
  const natural = subject.type === 'NATURAL';
  const items = [...declared].sort().join(',');
  return {
    allowed: true,
    unmasked: false,
    audit: false,
    scope: `gov ${unit} for ${purpose}: PUBLIC; GOV_SHARE/AUTHORIZED_QUERY of ${items}${natural ? ' (AUTHORIZED_QUERY only under an authorization)' : ''}${grant ? `; ${grantScope(grant)}` : ''}`,
    visible: ({ item, disclosure }) => {
      if (disclosure === 'PUBLIC') return true;
      if (!declared.has(item)) return false;
      if (disclosure === 'GOV_SHARE') return true;
      // AUTHORIZED_QUERY
      return !natural || (grant !== undefined && covers(grant, item));
    },
  };
}

function marketAccess(input: AccessInput): AccessDecision {
  const { caller, subject, purpose } = input;
  if (purpose !== undefined && purpose !== '' && !isPurpose(purpose)) {
    return refuse('invalid', 'INVALID_PURPOSE', `'${purpose}' is not a purpose; use one of ${PURPOSES.join(', ')}`);
  }
  const grant = citedGrant(input, purpose || undefined);
  if (isRefusal(grant)) return grant;
  const unit = caller.unit ?? '(no unit)';
  if (subject.type === 'NATURAL') {
    if (!grant) {
      return refuse('forbidden', 'AUTHORIZATION_REQUIRED', "a natural person's file needs the person's written authorization (authorization=REF)");
    }
    return {
      allowed: true,
      unmasked: false,
      audit: false,
      scope: `market ${unit}: PUBLIC/AUTHORIZED_QUERY of ${grantScope(grant)}`,
      visible: ({ item, disclosure }) => covers(grant, item) && (disclosure === 'PUBLIC' || disclosure === 'AUTHORIZED_QUERY'),
    };
  }
  return {
    allowed: true,
    unmasked: false,
    audit: false,
    scope: `market ${unit}: PUBLIC${grant ? `; AUTHORIZED_QUERY of ${grantScope(grant)}` : ''}`,
    visible: ({ item, disclosure }) => disclosure === 'PUBLIC' || (grant !== undefined && disclosure === 'AUTHORIZED_QUERY' && covers(grant, item)),
  };
}
