/**
 * Upload object keys: incoming/{provider}/{item}/{fileName}. Files uploaded through a presigned
 * URL from POST /v1/uploads carry their batch id as a folder: incoming/{p}/{i}/{batchId}/{fileName}.
 * A direct upload gets a batch id derived from the object's identity (bucket, key, ETag), so a
 * redelivered S3 event names the same batch.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FileFormat } from './row-scanner.ts';

export const INCOMING_PREFIX = 'incoming/';
const PRESIGNED_ID = /^u[0-9a-z]{24}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface UploadKey {
  provider: string;
  item: string;
  fileName: string;
  format: FileFormat | null;
  /** Set for presigned uploads. */
  batchId?: string;
}

export type ParsedKey = { ok: true; value: UploadKey } | { ok: false; reason: string; provider?: string; item?: string; fileName: string };

export function formatOf(fileName: string): FileFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

export function parseUploadKey(key: string): ParsedKey {
  const parts = key.split('/');
  const fileName = parts[parts.length - 1] ?? key;
  if (parts[0] !== 'incoming' || parts.length < 4) {
    return { ok: false, reason: `object key '${visible(key)}' is not of the form incoming/{provider}/{item}/{fileName}`, fileName };
  }
  const [, provider, item, ...rest] = parts as [string, string, string, ...string[]];
  if (!CODE.test(provider) || !CODE.test(item)) {
    return { ok: false, reason: `object key '${visible(key)}' names an invalid provider or item code`, provider, item, fileName };
  }
  if (rest.some((s) => s === '' || s === '.' || s === '..')) {
    return { ok: false, reason: `object key '${visible(key)}' has an empty, '.' or '..' path segment`, provider, item, fileName };
  }
  if (!isSafeName(fileName)) {
    return {
      ok: false,
      reason: `object key '${visible(key)}' has a file name with control or invisible characters, a leading dot or over 200 characters`,
      provider,
      item,
      fileName,
    };
  }
  const batchId = rest.length === 2 && PRESIGNED_ID.test(rest[0]!) ? rest[0] : undefined;
  if (rest.length > 1 && !batchId) {
    return {
      ok: false,
      reason: `object key '${visible(key)}' has folders below the item; upload to incoming/${provider}/${item}/{fileName}`,
      provider,
      item,
      fileName,
    };
  }
  return { ok: true, value: { provider, item, fileName, format: formatOf(fileName), batchId } };
}

export function newUploadBatchId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(24);
  let id = 'u';
  for (const b of bytes) id += alphabet[b % 36];
  return id;
}

export function presignedKey(provider: string, item: string, batchId: string, fileName: string): string {
  return `${INCOMING_PREFIX}${provider}/${item}/${batchId}/${fileName}`;
}

export function objectBatchId(bucket: string, key: string, etag: string): string {
  return 'b' + createHash('sha256').update(`${bucket}\u0000${key}\u0000${etag}`).digest('hex').slice(0, 24);
}

/** Keys in S3 event notifications are URL-encoded with '+' for spaces. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

// control and invisible format characters (bidi overrides such as U+202E, zero-width spaces) let a
// name display as something it is not ('invoice\u202Evsc.exe'); line separators break reports
const UNSAFE_NAME_CHARS = /[\\/\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function isSafeName(name: string): boolean {
  return name.length > 0 && name.length <= 200 && !name.startsWith('.') && !UNSAFE_NAME_CHARS.test(name);
}

/** The name with its unsafe characters spelled out as code points, safe to show in a reason. */
function visible(s: string): string {
  return s.replace(new RegExp(UNSAFE_NAME_CHARS.source, 'gu'), (c) => (c === '/' ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
}

/** A file name safe to embed in a key: no path separators, control or invisible characters, or leading dots. */
export function safeFileName(name: string): string | null {
  const trimmed = name.trim();
  return isSafeName(trimmed) ? trimmed : null;
}
