/**
 * The public double-publicity (双公示) routes, no token (docs/api.md, the public routes):
 *
 * GET /v1/public/publicity?type=&q=&pageSize=&cursor= — `q` is either a USCC, the records in that
 * subject's file, or part of a company name. Every request reads at most one page's worth of
 * entries — one Query or Scan with `Limit` = pageSize + 1 (the extra entry tells whether the page
 * is the last) — whatever `q` is, and answers with what passed and `next`, an opaque cursor
 * (public-cursor.ts) where the following read starts. A page may therefore hold fewer results than
 * pageSize, even none, while `next` is not null: the cost of a request is bounded, not its yield.
 * - USCC: a Query of that subject's partition (its whole file, double-publicity or not), in key order
 *   (provider, item, record).
 * - Name: looked up first as a prefix in the byPublicity index (PUB#{type}#{first character}, sort
 *   key {name}#{recordId}); when the prefix's range holds no entry at all, the same request scans
 *   the index for names containing `q` (`nameContainsPage`). The cursor keeps the match, so a
 *   search keeps one mode across its pages, and the answer says which ran.
 * The index is sparse and meant to hold only what is shown: a record leaving ACTIVE loses its keys
 * in the same write (adapters/record-state-repo), and the nightly record-expiry run removes them
 * from records past their publicity period and from any other record no longer shown (a row
 * withdrawn by op=delete, a record uploaded already past its period). The server-side filter below
 * therefore discards only what changed since the last run.
 *
 * GET /v1/public/subjects/{uscc} — the public summary of one company: its name, whether it is
 * registered, and per publicity type the number of records shown and the latest of them.
 *
 * Served: records of an item the published catalog lists as PUBLIC double-publicity data about
 * legal subjects, ACTIVE, inside their query period and their publicity period (core/publicity.ts).
 * Natural persons are never public (docs/domain.md, Who may see what): their records live in another table, never
 * reach the index, and no item about them passes the catalog check. No ID number is ever returned.
 */
import { DomainError } from '#core/errors';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PUBLICITY_TYPES, type InfoItem, type Publicity } from '#core/catalog';
import { normalizeCode, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { isShownOn, OPEN_ENDED } from '#core/publicity';
import { isServable } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { catalogEntries, currentCatalog, indexWithItems, type PublishedCatalog } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import { httpHandler, json, validate, type HttpRequest } from '#adapters/http';
import { admitClient } from '#adapters/rate-limit';
import { logger } from '#adapters/powertools';
import { publicCatalog, publicCatalogItems, publicUnits } from './public-catalog.ts';
import { publicUnitLists } from './public-unit-lists.ts';
import { decodeCursor, InvalidPublicCursor, type Match } from './public-cursor.ts';
import { collect, filtered, nameContainsPage, namePrefixPage, subjectPage, type Keep, type Page, type PublicRecord } from './public-reads.ts';
import { PublicSearchQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

/** Records of each publicity type listed in a subject summary, latest decision first. */
export const SUMMARY_LATEST = 5;

/** GB 32100 layout (docs/domain.md, Identifiers): a q of this shape is a USCC, and a wrong check character is an error. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** Publicity periods are calendar days in China. */
const todayInChina = () => shanghaiDay(new Date());

/** The small sections only: the items a page meets are read by key (`shownAs`), never the whole catalog. */
async function publishedCatalog(): Promise<PublishedCatalog> {
  const published = await currentCatalog({ items: [] });
  if (!published) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return published;
}

/** The records read from a subject file or the index that are shown publicly today as records of `type`. */
function shownAs(type: Publicity, today: string): Keep {
  return async (records) => {
    const items = await catalogEntries(
      'items',
      records.map((r) => r.item),
    );
    return records.filter((r) => {
      const item = publicItem(items.get(r.item), type);
      return item !== undefined && isServable(r, item, today) && isShownOn(r.publicUntil, today);
    });
  };
}

/** The USCC `raw` names, normalised, or a 400 starting with `refusal` and saying why it is not one. */
function usccOrRefuse(raw: string, refusal: string): string {
  const check = validateUscc(normalizeCode(raw), ISSUED_INVALID_USCC);
  if (!check.ok) throw new DomainError('invalid', 'INVALID_USCC', `${refusal}: ${check.errors.map((e) => e.message).join('; ')}`);
  return check.normalized;
}

async function search(req: HttpRequest): Promise<Reply<'GET /v1/public/publicity'>> {
  if (req.query.page !== undefined) {
    const message = 'page numbers are not accepted: pass cursor, the `next` of the previous answer';
    throw new DomainError(
      'invalid',
      'VALIDATION_FAILED',
      `invalid query: query.page: ${message}`,
      [{ path: 'query.page', message }],
      '请求参数不符合要求：query.page（请改用上一页返回的 next 作为 cursor 翻页）',
    );
  }
  const { type, q, pageSize, cursor } = validate(PublicSearchQuery, req.query, 'query');
  const published = await publishedCatalog();
  const today = todayInChina();
  const keep = shownAs(type, today);

  const byUscc = USCC_SHAPE.test(normalizeCode(q));
  const term = byUscc ? usccOrRefuse(q, `q '${q}' has the shape of a USCC but is not a valid one`) : q;
  const from = cursor === undefined ? undefined : startOf(cursor, { type, term, byUscc });
  let match: Match;
  let page: Page;
  if (byUscc) {
    match = 'uscc';
    page = await subjectPage(term, type, today, keep, pageSize, from?.key);
  } else if (from) {
    match = from.match;
    page =
      match === 'prefix' ? await namePrefixPage(q, type, today, keep, pageSize, from.key) : await nameContainsPage(q, type, today, keep, pageSize, from.key);
  } else {
    // The prefix's range decides the mode: only when it holds no entry does the contains scan run,
    // and then the prefix Query has read nothing, so the request still reads one page at most.
    const prefixed = await namePrefixPage(q, type, today, keep, pageSize, undefined);
    match = prefixed.read > 0 ? 'prefix' : 'contains';
    page = match === 'prefix' ? prefixed : await nameContainsPage(q, type, today, keep, pageSize, undefined);
  }

  const index = await indexWithItems(
    published.index,
    page.records.map((r) => r.item),
  );
  const results = page.records.map((r) => view(r, index.item(r.item)!));
  logger.info('public search', { type, match, pageSize, continued: from !== undefined, read: page.read, results: results.length, more: page.next !== null });
  return json(200, { type, q: term, match, pageSize, results, next: page.next });
}

/** Where a cursor continues this search, or 400 INVALID_CURSOR. */
function startOf(cursor: string, search: { type: Publicity; term: string; byUscc: boolean }) {
  try {
    return decodeCursor(cursor, search);
  } catch (err) {
    if (err instanceof InvalidPublicCursor) throw new DomainError('invalid', 'INVALID_CURSOR', `${err.message}: start again without a cursor`);
    throw err;
  }
}

/** GET /v1/public/subjects/{uscc}: the public summary of one company. */
async function subjectSummary(req: HttpRequest): Promise<Reply<'GET /v1/public/subjects/{uscc}'>> {
  const raw = req.path.uscc ?? '';
  const uscc = usccOrRefuse(raw, `'${raw}' is not a valid USCC`);
  const published = await publishedCatalog();
  const today = todayInChina();

  const [registration, records] = await Promise.all([
    ddb.send(
      new GetCommand({
        TableName: tableName('legalSubjects'),
        Key: { pk: uscc, sk: 'REGISTRATION' },
        ProjectionExpression: '#name, registered',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    ),
    collect(
      'query',
      filtered(
        {
          TableName: tableName('legalSubjects'),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
          ExpressionAttributeValues: { ':pk': uscc, ':rec': 'REC#' },
        },
        PUBLICITY_TYPES,
        today,
      ),
      async (rs) => rs,
    ),
  ]);
  const index = await indexWithItems(
    published.index,
    records.records.map((r) => r.item),
  );

  const publicity = {} as Record<Publicity, { count: number; latest: ReturnType<typeof view>[] }>;
  const shown: PublicRecord[] = [];
  for (const type of PUBLICITY_TYPES) {
    const ofType = (await shownAs(type, today)(records.records)).sort(latestFirst);
    shown.push(...ofType);
    publicity[type] = { count: ofType.length, latest: ofType.slice(0, SUMMARY_LATEST).map((r) => view(r, index.item(r.item)!)) };
  }

  const reg = registration.Item as { name?: string; registered?: boolean } | undefined;
  // A subject the platform knows nothing public about is not found: an unregistered subject whose
  // only records are not public does not reveal that it has a file.
  const name = reg?.name ?? shown.sort(latestFirst)[0]?.subjectName;
  if (!reg && shown.length === 0) throw new DomainError('notFound', 'SUBJECT_NOT_FOUND', `no public information on a subject with USCC ${uscc}`);
  logger.info('public subject summary', { registered: Boolean(reg), ...Object.fromEntries(PUBLICITY_TYPES.map((t) => [t, publicity[t].count])) });
  return json(200, { uscc, name: name ?? null, registered: reg?.registered === true, publicity });
}

/** The item, when the published catalog lists it as public double-publicity data of this type about legal subjects. */
function publicItem(item: InfoItem | undefined, type: Publicity): InfoItem | undefined {
  return item && item.subjectType === 'LEGAL' && item.disclosure === 'PUBLIC' && item.publicity === type ? item : undefined;
}

const decided = (r: PublicRecord) => (typeof r.fields.decisionDate === 'string' ? r.fields.decisionDate : '');
const latestFirst = (a: PublicRecord, b: PublicRecord) => decided(b).localeCompare(decided(a)) || a.recordId.localeCompare(b.recordId);

function view(r: PublicRecord, item: InfoItem) {
  return {
    recordId: r.recordId,
    item: r.item,
    itemName: item.name,
    subject: { name: r.subjectName, uscc: r.pk },
    fields: publicFields(r.fields, item),
    decisionDate: typeof r.fields.decisionDate === 'string' ? r.fields.decisionDate : null,
    publicUntil: r.publicUntil === OPEN_ENDED ? null : (r.publicUntil ?? null),
    objection: r.objection ? { status: r.objection.status, since: r.objection.since } : null,
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

export const handler = httpHandler(
  {
    'GET /v1/public/publicity': search,
    'GET /v1/public/subjects/{uscc}': subjectSummary,
    'GET /v1/public/catalog': publicCatalog,
    'GET /v1/public/catalog/items': publicCatalogItems,
    'GET /v1/public/units': publicUnits,
    'GET /v1/public/unit-lists': publicUnitLists,
  },
  { clientLimit: admitClient },
);
