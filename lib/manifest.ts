/** Helpers for walking lib/platform.ts: typed entries and logical-ID fragments from manifest keys. */

/** Typed Object.entries for the manifest's (partial) records. */
export function entriesOf<K extends string, V>(record: Partial<Record<K, V>>): Array<[K, V]> {
  return Object.entries(record) as Array<[K, V]>;
}

/** `recordChunks` → `RecordChunks`. */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
