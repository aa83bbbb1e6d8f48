/**
 * Personal ID numbers never appear in plaintext at rest. A natural person's partition key is a
 * keyed hash (HMAC-SHA256 with a secret pepper) of the 18-digit number; the number itself is kept
 * only sealed with AES-256-GCM under a data key (envelope encryption: a KMS data key in AWS, a
 * local key in local mode), next to its masked form.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ENV } from '#lib/platform';
import { kms, secrets } from './clients.ts';

interface DataKey {
  plaintext: Buffer;
  /** The encrypted data key as stored beside each sealed value ('local' in local mode). */
  wrapped: string;
}

let pepper: Promise<Buffer> | undefined;
let dataKey: Promise<DataKey> | undefined;
const unwrapped = new Map<string, Promise<Buffer>>();

/**
 * A load that failed (a KMS or Secrets Manager throttle, a network blip) is forgotten, so the next
 * call tries again: caching the rejected promise would fail every request of the container.
 */
function forgetOnFailure<T>(p: Promise<T>, forget: () => void): Promise<T> {
  p.catch(forget);
  return p;
}

function loadPepper(): Promise<Buffer> {
  pepper ??= forgetOnFailure(
    (async () => {
      const local = process.env[ENV.localPepper];
      if (local) return Buffer.from(local, 'utf8');
      const arn = process.env[ENV.pepperSecretArn];
      if (!arn) throw new Error(`${ENV.pepperSecretArn} or ${ENV.localPepper} must be set`);
      const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!out.SecretString) throw new Error('the pepper secret is empty');
      return Buffer.from(out.SecretString, 'utf8');
    })(),
    () => {
      pepper = undefined;
    },
  );
  return pepper;
}

function loadDataKey(): Promise<DataKey> {
  dataKey ??= forgetOnFailure(
    (async () => {
      const local = process.env[ENV.localDataKey];
      if (local) return { plaintext: Buffer.from(local, 'hex'), wrapped: 'local' };
      const keyId = process.env[ENV.personalDataKeyId];
      if (!keyId) throw new Error(`${ENV.personalDataKeyId} or ${ENV.localDataKey} must be set`);
      const out = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
      return { plaintext: Buffer.from(out.Plaintext!), wrapped: Buffer.from(out.CiphertextBlob!).toString('base64url') };
    })(),
    () => {
      dataKey = undefined;
    },
  );
  return dataKey;
}

function unwrap(wrapped: string): Promise<Buffer> {
  if (wrapped === 'local') return loadDataKey().then((k) => k.plaintext);
  let key = unwrapped.get(wrapped);
  if (!key) {
    key = forgetOnFailure(
      kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(wrapped, 'base64url') })).then((out) => Buffer.from(out.Plaintext!)),
      () => unwrapped.delete(wrapped),
    );
    unwrapped.set(wrapped, key);
  }
  return key;
}

/** The partition key of a natural person: hex HMAC of the 18-digit ID number. */
export async function naturalSubjectKey(id18: string): Promise<string> {
  const key = await loadPepper();
  return createHmac('sha256', key).update(id18).digest('hex');
}

/** Synchronous form for hot loops, once `prepare()` has resolved. */
export async function naturalKeyer(): Promise<(id18: string) => string> {
  const key = await loadPepper();
  return (id18) => createHmac('sha256', key).update(id18).digest('hex');
}

export async function sealer(): Promise<(plaintext: string) => string> {
  const key = await loadDataKey();
  return (plaintext) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', key.wrapped, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  };
}

export async function unseal(sealed: string): Promise<string> {
  const [version, wrapped, iv, ct, tag] = sealed.split('.');
  if (version !== 'v1' || !wrapped || !iv || !ct || !tag) throw new Error('not a sealed value');
  const key = await unwrap(wrapped);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
