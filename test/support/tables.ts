/** Ground truth for tests: every item of the local tables, read straight from the emulator. */
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '#lib/platform';
import type { TestPlatform } from './platform.ts';

export async function scanTable(p: TestPlatform, table: TableName): Promise<Array<Record<string, unknown>>> {
  const { ddb } = await import('#adapters/clients');
  const items: Array<Record<string, unknown>> = [];
  for await (const page of paginateScan({ client: ddb }, { TableName: p.emulators.tables[table] })) items.push(...(page.Items ?? []));
  return items;
}

/**
 * The copy of a serious record filed under the legal representative's own file (sk `…#REP`, with
 * `via`). Not `sk.includes('#REP')`: a record id is base64url, and one in 262,144 starts with "REP"
 * (REC#{provider}#{item}#REP…) — that test once made the 100,000-row reconciliation report rows lost.
 */
export function isRepresentativeCopy(item: Record<string, unknown>): boolean {
  return String(item.sk).endsWith('#REP') && item.via !== undefined;
}

/** The records a batch stored (subject tables and the holding area), without legal-representative copies. */
export async function recordsOfBatch(p: TestPlatform, batchId: string): Promise<Array<Record<string, unknown>>> {
  const tables: TableName[] = ['legalSubjects', 'naturalSubjects', 'registry'];
  const all = (await Promise.all(tables.map((t) => scanTable(p, t)))).flat();
  return all.filter((i) => i.batchId === batchId && !isRepresentativeCopy(i));
}
