/**
 * Deterministic record identity: (provider, item, key) always yields the same id, so a
 * re-uploaded file or a redelivered message updates a record instead of duplicating it.
 */
import { createHash } from 'node:crypto';

/** 22 URL-safe characters: the first 132 bits of SHA-256 over `provider\0item\0key`, base64url. */
export function recordId(provider: string, item: string, key: string): string {
  return createHash('sha256').update(`${provider}\u0000${item}\u0000${key}`).digest('base64url').slice(0, 22);
}

/** Sort key of a record inside its subject's partition. */
export function recordSortKey(provider: string, item: string, key: string): string {
  return `REC#${provider}#${item}#${recordId(provider, item, key)}`;
}
