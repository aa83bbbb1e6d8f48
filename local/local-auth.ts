/**
 * The local token issuer (POST /local/token) and the JWT check API Gateway's authorizer does in
 * AWS: signature (ES256 only, so `alg: none` and HMAC confusion are refused), issuer, audience
 * and expiry. Tokens carry the same claims as the Cognito ID tokens of the deployed stack (there
 * the channel is the app client's: functions/core/claims.ts). A request names a subject by its
 * identifier, as an administrator does when provisioning a user; the token carries only the opaque
 * reference the platform makes of it (`custom:subject_ref`), never the identifier.
 */
import { SignJWT, generateKeyPair, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { z } from 'zod';
import { CHANNELS, CLAIMS, ROLES } from '#core/claims';
import { naturalSubjectKey } from '#adapters/personal-data';
import { subjectRefOf } from '#adapters/subject-identity';

export const LOCAL_AUDIENCE = 'credit-platform-local';

export const TokenRequest = z.strictObject({
  role: z.enum(ROLES),
  unit: z.string().min(1).max(64).optional(),
  subject: z.strictObject({ type: z.enum(['LEGAL', 'NATURAL']), id: z.string().min(1).max(32) }).optional(),
  /** The client the token is for (the console asks for 'console'); absent means 'api'. */
  channel: z.enum(CHANNELS).optional(),
  /** Lifetime in seconds (default 12 h); negative values make expired tokens for tests. */
  expiresIn: z.number().int().min(-86400).max(86400).optional(),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export interface LocalIssuer {
  issuer: string;
  /** `o` overrides what a well-formed token carries (tests of the refusals: wrong issuer, audience). */
  sign(req: TokenRequest, o?: { issuer?: string; audience?: string }): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

export async function createLocalIssuer(issuer: string): Promise<LocalIssuer> {
  const { privateKey, publicKey } = (await generateKeyPair('ES256')) as { privateKey: CryptoKey; publicKey: CryptoKey };
  return {
    issuer,
    async sign(req, o = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, string> = { [CLAIMS.role]: req.role };
      if (req.unit) claims[CLAIMS.unit] = req.unit;
      if (req.channel) claims[CLAIMS.channel] = req.channel;
      if (req.subject) {
        claims[CLAIMS.subjectType] = req.subject.type;
        claims[CLAIMS.subjectRef] = await subjectRefOf(req.subject.type, req.subject.id);
      }
      // `sub` is logged by handlers: for a subject, a prefix of the keyed hash, no digit of the identifier
      const sub = `${req.role}:${req.unit ?? req.subject?.type ?? 'local'}:${req.subject ? (await naturalSubjectKey(req.subject.id)).slice(0, 12) : ''}`;
      return new SignJWT({ ...claims, token_use: 'id' })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setIssuer(o.issuer ?? issuer)
        .setAudience(o.audience ?? LOCAL_AUDIENCE)
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + (req.expiresIn ?? 12 * 3600))
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, { issuer, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] });
      return payload;
    },
  };
}
