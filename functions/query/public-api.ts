/**
 * GET /v1/public/publicity: the public double-publicity (双公示) search, no token (contract.md §4).
 * `q` is either a USCC — the records in that subject's file — or the start of a company name — the
 * byPublicity index, PUB#{type}#{first character}, names starting with `q`. Served: records of the
 * type asked for, of an item the published catalog lists as PUBLIC double-publicity data about legal
 * subjects, ACTIVE, inside their query period and their publicity period (core/publicity.ts).
 * Natural persons are never public (domain.md §3.4): their records live in another table, never
 * reach the index, and no item about them passes the catalog check.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PUBLICITY_TYPES, type InfoItem, type Publicity } from '#core/catalog';
import { normalizeCode, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { isShownOn, OPEN_ENDED, publicityPartition } from '#core/publicity';
import { isServable } from '#core/record-view';
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import { HttpError, httpHandler, json, validate, type HttpRequest } from '#adapters/http';
import { logger } from '#adapters/powertools';
import type { StoredRecord } from '#adapters/subject-repo';

export const PAGE_SIZE = 20;
/** Deeper pages would read the index from its start each time: narrow the search instead. */
export const MAX_PAGE = 250;

const querySchema = z.object({
  type: z.enum(PUBLICITY_TYPES, { error: `type is required and must be one of: ${PUBLICITY_TYPES.join(', ')}` }),
  q: z
    .string({ error: 'q is required: a USCC or the start of a company name' })
    .trim()
    .min(2, 'q must be 2 to 100 characters')
    .max(100, 'q must be 2 to 100 characters'),
  page: z.coerce
    .number({ error: 'page must be a whole number from 1' })
    .int('page must be a whole number from 1')
    .min(1, 'page must be a whole number from 1')
    .max(MAX_PAGE, `page may be at most ${MAX_PAGE}; narrow the search`)
    .default(1),
});

/** GB 32100 layout (domain.md §1.1): a q of this shape is a USCC, and a wrong check character is an error. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The record attributes a result is built from (the filter reads the others server-side). */
const PROJECTION = ['pk', 'recordId', 'provider', 'item', 'status', 'fields', 'subjectName', 'recordClass', 'polarity', 'severity', 'publicUntil'];

type PublicRecord = Pick<StoredRecord, 'pk' | 'recordId' | 'provider' | 'item' | 'status' | 'fields' | 'subjectName' | 'recordClass' | 'polarity' | 'severity' | 'publicUntil'>;

async function search(req: HttpRequest) {
  const { type, q, page } = validate(querySchema, req.query, 'query');
  const published = await currentCatalog();
  if (!published) throw new HttpError(404, 'NO_CATALOG', 'no catalog has been published yet');
  const today = new Date().toISOString().slice(0, 10);
  const shown = (r: PublicRecord) => {
    const item = publicItem(published, r.item, type);
    return item !== undefined && isServable(r, item, today) && isShownOn(r.publicUntil, today);
  };

  const code = normalizeCode(q);
  const byUscc = USCC_SHAPE.test(code);
  let found: { records: PublicRecord[]; hasMore: boolean };
  let term = q;
  if (byUscc) {
    const check = validateUscc(code, ISSUED_INVALID_USCC);
    if (!check.ok) {
      throw new HttpError(400, 'INVALID_USCC', `q '${q}' has the shape of a USCC but is not a valid one: ${check.errors.map((e) => e.message).join('; ')}`);
    }
    term = check.normalized;
    found = await subjectRecords(term, type, today, shown, page);
  } else {
    found = await namePrefixRecords(q, type, today, shown, page);
  }

  const results = found.records.map((r) => view(r, published.index.item(r.item)!));
  logger.info('public search', { type, by: byUscc ? 'uscc' : 'name', page, results: results.length, hasMore: found.hasMore });
  return json(200, { type, q: term, page, pageSize: PAGE_SIZE, results, hasMore: found.hasMore });
}

/** The item, when the published catalog lists it as public double-publicity data of this type about legal subjects. */
function publicItem(published: PublishedCatalog, code: string, type: Publicity): InfoItem | undefined {
  const item = published.index.item(code);
  return item && item.subjectType === 'LEGAL' && item.disclosure === 'PUBLIC' && item.publicity === type ? item : undefined;
}

function view(r: PublicRecord, item: InfoItem) {
  return {
    recordId: r.recordId,
    item: r.item,
    itemName: item.name,
    subject: { name: r.subjectName, uscc: r.pk },
    fields: publicFields(r.fields, item),
    decisionDate: typeof r.fields.decisionDate === 'string' ? r.fields.decisionDate : null,
    publicUntil: r.publicUntil === OPEN_ENDED ? null : r.publicUntil,
  };
}

/** The item's fields as published, never an ID number (idNumber-typed fields, the legal representative's ID). */
function publicFields(fields: Record<string, unknown>, item: InfoItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of item.fields) {
    if (f.type === 'idNumber' || f.key === 'legalRepIdNo') continue;
    if (fields[f.key] !== undefined) out[f.key] = fields[f.key];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Server-side filter shared by both reads; the catalog check runs on what comes back. */
function filtered(input: Omit<QueryCommandInput, 'FilterExpression' | 'ProjectionExpression'>, type: Publicity, today: string): QueryCommandInput {
  return {
    ...input,
    FilterExpression: '#f_publicity = :type AND #p_status = :active AND #f_disclosure = :public AND #p_publicUntil >= :today',
    ProjectionExpression: PROJECTION.map((a) => `#p_${a}`).join(', '),
    ExpressionAttributeNames: {
      ...input.ExpressionAttributeNames,
      '#f_publicity': 'publicity',
      '#f_disclosure': 'disclosure',
      ...Object.fromEntries(PROJECTION.map((a) => [`#p_${a}`, a])),
    },
    ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ':type': type, ':active': 'ACTIVE', ':public': 'PUBLIC', ':today': today },
  };
}

/** Reads Query pages until `limit` records pass `keep`, or the key range ends. */
async function collect(input: QueryCommandInput, keep: (r: PublicRecord) => boolean, limit: number): Promise<PublicRecord[]> {
  const out: PublicRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const r = item as PublicRecord;
      if (keep(r)) out.push(r);
      if (out.length >= limit) return out;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

const pageOf = (records: PublicRecord[], page: number) => ({
  records: records.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
  hasMore: records.length > page * PAGE_SIZE,
});

/** One subject's file: its records of this type, latest decision first. */
async function subjectRecords(uscc: string, type: Publicity, today: string, keep: (r: PublicRecord) => boolean, page: number) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
      ExpressionAttributeValues: { ':pk': uscc, ':rec': 'REC#' },
    },
    type,
    today,
  );
  const all = await collect(input, keep, Number.POSITIVE_INFINITY);
  const decided = (r: PublicRecord) => (typeof r.fields.decisionDate === 'string' ? r.fields.decisionDate : '');
  all.sort((a, b) => decided(b).localeCompare(decided(a)) || a.recordId.localeCompare(b.recordId));
  return pageOf(all, page);
}

/** Companies whose name starts with `prefix`, in index order (name, then record). */
async function namePrefixRecords(prefix: string, type: Publicity, today: string, keep: (r: PublicRecord) => boolean, page: number) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      KeyConditionExpression: 'pubpk = :pubpk AND begins_with(pubsk, :prefix)',
      ExpressionAttributeValues: { ':pubpk': publicityPartition(type, prefix), ':prefix': prefix },
    },
    type,
    today,
  );
  return pageOf(await collect(input, keep, page * PAGE_SIZE + 1), page);
}

export const handler = httpHandler({
  'GET /v1/public/publicity': search,
});
