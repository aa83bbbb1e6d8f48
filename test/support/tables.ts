/** Ground truth for tests: every item of the local tables, read straight from the emulator. */
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import type { TableName } from '#lib/platform';
import type { TestPlatform } from './platform.ts';

/**
 * Every item of a table, or with `batchId` only a batch's: DynamoDB Local still reads the whole table but
 * sends only the batch, so the test process no longer parses the other batches' items (docs/testing.md).
 */
export async function scanTable(p: TestPlatform, table: TableName, only?: { batchId: string }): Promise<Array<Record<string, unknown>>> {
  const { ddb } = await import('#adapters/clients');
  const items: Array<Record<string, unknown>> = [];
  const filter = only ? { FilterExpression: '#b = :b', ExpressionAttributeNames: { '#b': 'batchId' }, ExpressionAttributeValues: { ':b': only.batchId } } : {};
  for await (const page of paginateScan({ client: ddb }, { TableName: p.emulators.tables[table], ...filter })) items.push(...(page.Items ?? []));
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
  const all = (await Promise.all(tables.map((t) => scanTable(p, t, { batchId })))).flat();
  return all.filter((i) => i.batchId === batchId && !isRepresentativeCopy(i));
}
