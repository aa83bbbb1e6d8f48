/**
 * Who is calling, from the claims of a verified token: the platform's roles, the custom claims
 * that carry them, and the mapping from claims to a caller. Pure: API Gateway's JWT authorizer
 * (or the local runtime's check) has already verified signature, issuer, audience and expiry.
 *
 * In AWS the claims come from the Cognito user pool: each claim below except `custom:channel`
 * is a custom user attribute of the same name that only administrators can set
 * (lib/api-construct.ts). Locally the POST /local/token issuer writes them all.
 */

export const ROLES = ['admin', 'provider', 'gov', 'market', 'subject'] as const;
export type Role = (typeof ROLES)[number];

/** Custom claims carried by Cognito ID tokens and by the local issuer alike. */
export const CLAIMS = {
  role: 'custom:role',
  unit: 'custom:unit',
  subjectType: 'custom:subject_type',
  subjectId: 'custom:subject_id',
  /** The client the token was issued to: api (default), console, window (service counter), app. */
  channel: 'custom:channel',
} as const;

/** The user pool's custom attributes behind the claims (`custom:unit` is attribute `unit`): all but the channel, which belongs to the client. */
export const USER_ATTRIBUTES = [CLAIMS.role, CLAIMS.unit, CLAIMS.subjectType, CLAIMS.subjectId].map((claim) => claim.slice('custom:'.length));

export const CHANNELS = ['api', 'console', 'window', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Caller {
  sub: string;
  role: Role;
  unit?: string;
  subject?: { type: 'LEGAL' | 'NATURAL'; id: string };
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
  const subjectId = claims[CLAIMS.subjectId];
  return {
    sub: String(claims.sub ?? ''),
    role: role as Role,
    unit: claims[CLAIMS.unit] ? String(claims[CLAIMS.unit]) : undefined,
    subject: (subjectType === 'LEGAL' || subjectType === 'NATURAL') && subjectId ? { type: subjectType, id: String(subjectId) } : undefined,
    channel: channelOf(claims, consoleClientId),
  };
}
