/**
 * The signed-in user as the console keeps it: the bearer token it sends and what the header shows.
 * The claims are the API's own (functions/core/claims.ts), so a role the API knows is a role here.
 */
import { CLAIMS, ROLES, type Role } from '../../functions/core/claims.ts';

export interface Session {
  token: string;
  role: Role;
  unit?: string;
  /** A subject's own identity (its own file, report and authorisations): from the subject claims. */
  subject?: { type: 'LEGAL' | 'NATURAL' };
  label: string;
}

export class SignInError extends Error {
  override name = 'SignInError';
}

/** The session an ID token stands for, from its claims; a user without a platform role cannot use the console. */
export function sessionFromClaims(token: string, claims: Record<string, unknown>): Session {
  const role = claims[CLAIMS.role];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new SignInError('此账号尚未分配平台角色（custom:role），请联系平台管理员。');
  }
  const unit = typeof claims[CLAIMS.unit] === 'string' && claims[CLAIMS.unit] !== '' ? (claims[CLAIMS.unit] as string) : undefined;
  const name = [claims.name, claims.email, claims['cognito:username'], claims.sub].find((v): v is string => typeof v === 'string' && v !== '') ?? '';
  const subjectType = claims[CLAIMS.subjectType];
  // the token names the subject by an opaque reference (custom:subject_ref), never its identifier: the API answers `me`
  const subjectRef = claims[CLAIMS.subjectRef];
  const subject: Session['subject'] =
    (subjectType === 'LEGAL' || subjectType === 'NATURAL') && typeof subjectRef === 'string' && subjectRef !== '' ? { type: subjectType } : undefined;
  return { token, role: role as Role, unit, ...(subject ? { subject } : {}), label: unit ? `${name}（${unit}）` : name };
}
