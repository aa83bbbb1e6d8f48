/**
 * Who is calling, from the claims of a verified token: the platform's roles, the custom claims
 * that carry them, and the mapping from claims to a caller. Pure: API Gateway's JWT authorizer
 * (or the local runtime's check) has already verified signature, issuer, audience and expiry.
 *
 * In AWS the claims come from the Cognito user pool: each claim below except `custom:channel`
 * is a custom user attribute of the same name that only administrators can set
 * (lib/api-construct.ts). Locally the POST /local/token issuer writes them all.
 *
 * No token carries a personal ID number: a `subject` user's own file is named by
 * `custom:subject_ref`, an opaque reference the platform issued (POST /v1/subject-refs: the
 * identifier sealed under the personal-data key) and resolves on every request
 * (adapters/subject-identity.ts). The former `custom:subject_id` attribute is no longer read by
 * any handler nor readable by any app client (docs/deploy.md: migrating existing users).
 */

export const ROLES = ['admin', 'provider', 'gov', 'market', 'subject'] as const;
export type Role = (typeof ROLES)[number];

/** Custom claims carried by Cognito ID tokens and by the local issuer alike. */
export const CLAIMS = {
  role: 'custom:role',
  unit: 'custom:unit',
  subjectType: 'custom:subject_type',
  /** Opaque: the subject's identifier sealed by the platform, never the identifier itself. */
  subjectRef: 'custom:subject_ref',
  /** The client the token was issued to: api (default), console, window (service counter), app. */
  channel: 'custom:channel',
} as const;

/** The user pool's custom attributes behind the claims (`custom:unit` is attribute `unit`): all but the channel, which belongs to the client. */
export const USER_ATTRIBUTES = [CLAIMS.role, CLAIMS.unit, CLAIMS.subjectType, CLAIMS.subjectRef].map((claim) => claim.slice('custom:'.length));

/**
 * Attributes the user pool still defines but no client may read, so no token carries them: a
 * deployed pool cannot drop a custom attribute (CloudFormation refuses a schema change), and
 * `subject_id` held a subject's identifier in plaintext before `subject_ref` replaced it.
 */
export const RETIRED_USER_ATTRIBUTES = ['subject_id'] as const;

/** The longest `custom:subject_ref`: a sealed `{type}:{identifier}` with its wrapped KMS data key is about 330 characters. */
export const SUBJECT_REF_MAX_LENGTH = 1024;

export const CHANNELS = ['api', 'console', 'window', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Caller {
  sub: string;
  role: Role;
  unit?: string;
  /** The subject a `subject` token speaks for: its type and the opaque reference (resolved by adapters/subject-identity). */
  subject?: { type: 'LEGAL' | 'NATURAL'; ref: string };
  channel: Channel;
}

export type Claims = Record<string, unknown>;

/**
 * The channel a token counts under: its `custom:channel` claim (local tokens); else `console` for
 * a token issued to the web console's app client (ID tokens name it in `aud`, access tokens in
 * `client_id`); else `api`.
 */
export function channelOf(claims: Claims, consoleClientId?: string): Channel {
  const explicit = String(claims[CLAIMS.channel] ?? '');
  if ((CHANNELS as readonly string[]).includes(explicit)) return explicit as Channel;
  if (consoleClientId && (claims.aud === consoleClientId || claims.client_id === consoleClientId)) return 'console';
  return 'api';
}

/** The caller the claims describe; undefined without claims or without a known role (401). */
export function callerFromClaims(claims: Claims | undefined, consoleClientId?: string): Caller | undefined {
  if (!claims) return undefined;
  const role = String(claims[CLAIMS.role] ?? '');
  if (!(ROLES as readonly string[]).includes(role)) return undefined;
  const subjectType = claims[CLAIMS.subjectType];
  const subjectRef = claims[CLAIMS.subjectRef];
  return {
    sub: String(claims.sub ?? ''),
    role: role as Role,
    unit: claims[CLAIMS.unit] ? String(claims[CLAIMS.unit]) : undefined,
    subject: (subjectType === 'LEGAL' || subjectType === 'NATURAL') && subjectRef ? { type: subjectType, ref: String(subjectRef) } : undefined,
    channel: channelOf(claims, consoleClientId),
  };
}
