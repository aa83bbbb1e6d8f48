/**
 * One-off migration (docs/operations.md "Objection listing index"): gives every objection stored
 * before the byReceived index existed its key, so the admin's listing shows it. Idempotent.
 *
 *   OBJECTIONS_TABLE=<physical table name> AWS_REGION=<region> npx tsx scripts/backfill-objection-index.ts
 */
import { backfillReceivedIndex } from '#adapters/objection-repo';

const written = await backfillReceivedIndex();
console.log(`objections given the byReceived key: ${written}`);
