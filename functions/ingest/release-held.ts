/**
 * Links held records (未关联) whose subject has become known: each moves into the subject's file
 * and leaves the holding area. Safe to run twice: filing is an idempotent put, and deleting a hold
 * entry that is gone is a no-op. A record linked late counts for 联合奖惩 as if it had arrived linked:
 * its subject enters the credit lists its behaviour enters by rule (once: the open-entry guard).
 */
import pMap from 'p-map';
import { changeKeys } from '#core/change-marker';
import { recordSortKey } from '#core/record-id';
import { itemKeys } from '#core/due-day';
import { stockOf } from '#core/stock';
import { tableName } from '#adapters/config';
import { stockCounterItem, transactCounted } from '#adapters/stock-repo';
import { deleteHeld, fileRecord, holdPk, lookupRegistry, type StoredRecord } from '#adapters/subject-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { enterListsByRule } from '#adapters/joint-repo';
import { logger, metrics } from '#adapters/powertools';

/**
 * Files a record into its subject's file and, when it enters the stock of queryable records
 * (core/stock), counts it in the same transaction; a second filing (a retry, a concurrent release)
 * finds it counted and only rewrites it.
 */
async function fileCounted(record: StoredRecord): Promise<void> {
  const stock = stockOf('LEGAL', record);
  const { stock: _stock, ...kept } = record;
  const rest = record.status === 'ACTIVE' ? { ...kept, ...itemKeys(record) } : kept;
  if (!stock) return fileRecord('legalSubjects', rest);
  const item = { ...rest, stock };
  const counted = await transactCounted([
    {
      Put: {
        TableName: tableName('legalSubjects'),
        Item: item,
        ConditionExpression: 'attribute_not_exists(#stock)',
        ExpressionAttributeNames: { '#stock': 'stock' },
      },
    },
    stockCounterItem(stock, 1, record.recordId),
  ]);
  if (!counted) await fileRecord('legalSubjects', item);
}

/** Returns how many distinct records were linked. */
export async function releaseHeld(records: StoredRecord[]): Promise<number> {
  const byRecord = new Map<string, StoredRecord>();
  for (const r of records) byRecord.set(r.recordId, r);
  const keys = [...byRecord.values()].flatMap((r) => r.holdKeys ?? []);
  if (!keys.length) return 0;
  const registry = await lookupRegistry(keys);
  let released = 0;
  let entered = 0;
  // the small sections and the held records' items, by key (as ingest does): never the whole catalog
  const catalog = (await currentCatalog({ items: [...new Set([...byRecord.values()].map((r) => r.item))] }))?.catalog;
  await pMap(
    [...byRecord.values()],
    async (held) => {
      const uscc = (held.holdKeys ?? []).map((k) => registry.get(k)).find(Boolean);
      if (!uscc) return;
      const { holdKeys, waitpk: _waitpk, waitsk: _waitsk, pk: _pk, sk: _sk, ...rest } = held;
      // filed now: a fresh change mark, so an export whose watermark passed the original write still sees it
      const item = {
        ...rest,
        ...changeKeys(rest, new Date().toISOString()),
        pk: uscc,
        sk: recordSortKey(held.provider, held.item, held.key),
      };
      await fileCounted(item);
      // before the hold goes: a crash here leaves it, and the next run files and enters again (once: the open-entry guard)
      if (catalog) entered += await enterListsByRule(catalog, [{ table: 'legalSubjects', item }], new Date().toISOString());
      for (const k of holdKeys ?? []) await deleteHeld(holdPk(k), `${held.provider}#${held.item}#${held.recordId}`);
      released++;
    },
    { concurrency: 8 },
  );
  if (released) {
    metrics.addMetric('RecordsLinkedLate', 'Count', released);
    logger.info('held records linked', { released, listEntries: entered });
  }
  return released;
}
