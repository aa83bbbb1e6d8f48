/**
 * The public double-publicity (双公示) routes, no token (docs/api.md, the public routes):
 *
 * GET /v1/public/publicity?type=&q=&page=&pageSize= — `q` is either a USCC, the records in that
 * subject's file, or part of a company name. A name is looked up first as a prefix in the
 * byPublicity index (PUB#{type}#{first character}, sort key {name}#{recordId}, names starting with
 * `q`): a Query whose `Limit` is the entries the page still needs, so a search reads about
 * page × pageSize + 1 index entries however many names share the prefix (without a Limit, DynamoDB
 * and dynalite read up to 1 MB of the partition per request — about 1,700 entries for 上海).
 * The index is sparse and meant to hold only what is shown: a record leaving ACTIVE loses its keys
 * in the same write (adapters/record-state-repo), and the nightly record-expiry run removes them
 * from records past their publicity period and from any other record no longer shown (a row
 * withdrawn by op=delete, a record uploaded already past its period). The server-side filter below
 * therefore discards only what changed since the last run, and the read stays O(page).
 * When no name starts with `q`, the index of that type is scanned for names containing `q` (see
 * `nameContainsRecords` for the bound and its trade-off). The response says which match ran.
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
import { GetCommand, QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { PUBLICITY_TYPES, type InfoItem, type Publicity } from '#core/catalog';
import { normalizeCode, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { isShownOn, OPEN_ENDED, publicityPartition } from '#core/publicity';
import { isServable } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import { httpHandler, json, validate, type HttpRequest } from '#adapters/http';
import { admitClient } from '#adapters/rate-limit';
import { logger } from '#adapters/powertools';
import type { StoredRecord } from '#adapters/subject-repo';
import { publicCatalog, publicCatalogItems } from './public-catalog.ts';
import { PublicSearchQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

/** Index entries one Scan request of the contains search reads (its Limit). */
export const CONTAINS_SCAN_LIMIT = 1000;
/** Scan requests one contains search may make: at most 20 × 1,000 index entries read per call. */
export const CONTAINS_MAX_SCANS = 20;
/** Records of each publicity type listed in a subject summary, latest decision first. */
export const SUMMARY_LATEST = 5;

/** GB 32100 layout (docs/domain.md, Identifiers): a q of this shape is a USCC, and a wrong check character is an error. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The record attributes a result is built from (the filter reads the others server-side). */
const PROJECTION = ['pk', 'recordId', 'provider', 'item', 'status', 'fields', 'subjectName', 'recordClass', 'polarity', 'severity', 'publicUntil', 'objection'];

type PublicRecord = Pick<
  StoredRecord,
  'pk' | 'recordId' | 'provider' | 'item' | 'status' | 'fields' | 'subjectName' | 'recordClass' | 'polarity' | 'severity' | 'publicUntil' | 'objection'
>;

type Found = { records: PublicRecord[]; hasMore: boolean };
/** How a name was matched: `prefix` (names starting with q) or `contains` (names containing q anywhere). */
type NameMatch = 'prefix' | 'contains';

/** Publicity periods are calendar days in China. */
const todayInChina = () => shanghaiDay(new Date());

async function publishedCatalog(): Promise<PublishedCatalog> {
  const published = await currentCatalog();
  if (!published) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return published;
}

/** Whether a record read from a subject file or the index is shown publicly today as a record of `type`. */
function shownAs(published: PublishedCatalog, type: Publicity, today: string) {
  return (r: PublicRecord) => {
    const item = publicItem(published, r.item, type);
    return item !== undefined && isServable(r, item, today) && isShownOn(r.publicUntil, today);
  };
}

/** The USCC `raw` names, normalised, or a 400 starting with `refusal` and saying why it is not one. */
function usccOrRefuse(raw: string, refusal: string): string {
  const check = validateUscc(normalizeCode(raw), ISSUED_INVALID_USCC);
  if (!check.ok) throw new DomainError('invalid', 'INVALID_USCC', `${refusal}: ${check.errors.map((e) => e.message).join('; ')}`);
  return check.normalized;
}

async function search(req: HttpRequest): Promise<Reply<'GET /v1/public/publicity'>> {
  const { type, q, page, pageSize } = validate(PublicSearchQuery, req.query, 'query');
  const published = await publishedCatalog();
  const today = todayInChina();
  const keep = shownAs(published, type, today);
  const window = { page, pageSize };

  const byUscc = USCC_SHAPE.test(normalizeCode(q));
  let found: Found;
  let term = q;
  let match: 'uscc' | NameMatch = 'uscc';
  let truncated = false;
  if (byUscc) {
    term = usccOrRefuse(q, `q '${q}' has the shape of a USCC but is not a valid one`);
    found = await subjectRecords(term, type, today, keep, window);
  } else {
    // The prefix index answers with a Query sized to the page (usually one request); only when no
    // name starts with q does the contains scan run, so a search keeps one mode across all its pages.
    const prefixed = await namePrefixRecords(q, type, today, keep, window);
    if (prefixed.any) {
      match = 'prefix';
      found = prefixed;
    } else {
      match = 'contains';
      const contained = await nameContainsRecords(q, type, today, keep, window);
      found = contained;
      truncated = contained.truncated;
    }
  }

  const results = found.records.map((r) => view(r, published.index.item(r.item)!));
  logger.info('public search', { type, match, page, pageSize, results: results.length, hasMore: found.hasMore, truncated });
  return json(200, { type, q: term, match, page, pageSize, results, hasMore: found.hasMore, truncated });
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
      () => true,
      Number.POSITIVE_INFINITY,
    ),
  ]);

  const publicity = {} as Record<Publicity, { count: number; latest: ReturnType<typeof view>[] }>;
  const shown: PublicRecord[] = [];
  for (const type of PUBLICITY_TYPES) {
    const keep = shownAs(published, type, today);
    const ofType = records.records.filter(keep).sort(latestFirst);
    shown.push(...ofType);
    publicity[type] = { count: ofType.length, latest: ofType.slice(0, SUMMARY_LATEST).map((r) => view(r, published.index.item(r.item)!)) };
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
function publicItem(published: PublishedCatalog, code: string, type: Publicity): InfoItem | undefined {
  const item = published.index.item(code);
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

// ---------------------------------------------------------------------------------------------
// Reads

type ReadInput = Omit<QueryCommandInput, 'FilterExpression' | 'ProjectionExpression'> & { FilterExpression?: string };

/**
 * Server-side filter shared by every read (records of one of `types`, ACTIVE, PUBLIC, inside their
 * publicity period), and'ed with the input's own filter; the catalog check runs on what comes back.
 */
function filtered<T extends ReadInput>(input: T, types: readonly Publicity[], today: string): T & { FilterExpression: string; ProjectionExpression: string } {
  const typeValues = Object.fromEntries(types.map((t, i) => [`:type${i}`, t]));
  const conditions = [
    `#f_publicity IN (${Object.keys(typeValues).join(', ')})`,
    '#p_status = :active',
    '#f_disclosure = :public',
    '#p_publicUntil >= :today',
    ...(input.FilterExpression ? [`(${input.FilterExpression})`] : []),
  ];
  return {
    ...input,
    FilterExpression: conditions.join(' AND '),
    ProjectionExpression: PROJECTION.map((a) => `#p_${a}`).join(', '),
    ExpressionAttributeNames: {
      ...input.ExpressionAttributeNames,
      '#f_publicity': 'publicity',
      '#f_disclosure': 'disclosure',
      ...Object.fromEntries(PROJECTION.map((a) => [`#p_${a}`, a])),
    },
    ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ...typeValues, ':active': 'ACTIVE', ':public': 'PUBLIC', ':today': today },
  };
}

/** Largest `Limit` one request of a sized read asks for. */
const SIZED_READ_MAX = 1000;
/**
 * A sized read's first request reads this many times what is missing: a few entries more (≈ 1 RCU
 * on a first page) so that a handful the filter discards does not cost a second round trip.
 */
const SIZED_READ_AHEAD = 1.25;

/**
 * Reads Query or Scan pages until `limit` records pass `keep`, the key range ends, or `maxRequests`
 * requests have been made (`truncated`: the range did not end). `sized`: each request's Limit is
 * what is still missing — the first with SIZED_READ_AHEAD, the next scaled by the share of entries
 * read so far that passed. Without it a request reads up to 1 MB whatever `limit` is (the input's
 * own Limit, if any, applies instead).
 */
async function collect(
  kind: 'query' | 'scan',
  input: QueryCommandInput | ScanCommandInput,
  keep: (r: PublicRecord) => boolean,
  limit: number,
  opts: { maxRequests?: number; sized?: boolean } = {},
): Promise<{ records: PublicRecord[]; truncated: boolean }> {
  const { maxRequests = Number.POSITIVE_INFINITY, sized = false } = opts;
  const out: PublicRecord[] = [];
  let start: Record<string, unknown> | undefined;
  let requests = 0;
  let read = 0;
  do {
    if (requests >= maxRequests) return { records: out, truncated: true };
    requests++;
    const missing = limit - out.length;
    const Limit = sized ? Math.min(SIZED_READ_MAX, Math.ceil(read ? (missing * (read + 1)) / (out.length + 1) : missing * SIZED_READ_AHEAD)) : input.Limit;
    const page =
      kind === 'query'
        ? await ddb.send(new QueryCommand({ ...(input as QueryCommandInput), Limit, ExclusiveStartKey: start }))
        : await ddb.send(new ScanCommand({ ...(input as ScanCommandInput), Limit, ExclusiveStartKey: start }));
    read += page.ScannedCount ?? page.Items?.length ?? 0;
    for (const item of page.Items ?? []) {
      const r = item as PublicRecord;
      if (keep(r)) out.push(r);
      if (out.length >= limit) return { records: out, truncated: false };
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { records: out, truncated: false };
}

interface Window {
  page: number;
  pageSize: number;
}

/** Records needed to answer `w` and know whether more follow. */
const needed = (w: Window) => w.page * w.pageSize + 1;

const pageOf = (records: PublicRecord[], w: Window): Found => ({
  records: records.slice((w.page - 1) * w.pageSize, w.page * w.pageSize),
  hasMore: records.length > w.page * w.pageSize,
});

/** One subject's file: its records of this type, latest decision first. */
async function subjectRecords(uscc: string, type: Publicity, today: string, keep: (r: PublicRecord) => boolean, w: Window): Promise<Found> {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
      ExpressionAttributeValues: { ':pk': uscc, ':rec': 'REC#' },
    },
    [type],
    today,
  );
  const { records } = await collect('query', input, keep, Number.POSITIVE_INFINITY);
  records.sort(latestFirst);
  return pageOf(records, w);
}

/**
 * Companies whose name starts with `prefix`, in index order (name, then record); `any`: at least one
 * exists. Reads about `needed(w)` index entries: deeper pages re-read the entries before them.
 */
async function namePrefixRecords(prefix: string, type: Publicity, today: string, keep: (r: PublicRecord) => boolean, w: Window) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      KeyConditionExpression: 'pubpk = :pubpk AND begins_with(pubsk, :prefix)',
      ExpressionAttributeValues: { ':pubpk': publicityPartition(type, prefix), ':prefix': prefix },
    },
    [type],
    today,
  );
  const { records } = await collect('query', input, keep, needed(w), { sized: true });
  return { ...pageOf(records, w), any: records.length > 0 };
}

/**
 * Companies whose name contains `q` anywhere. The byPublicity index is sharded by a name's first
 * character, so a match inside a name can be in any shard: this Scans the index (sparse: only
 * double-publicity records of legal subjects are in it) with a server-side `contains(subjectName, q)`
 * filter restricted to the type's partitions. Trade-off: a Scan reads entries that do not match,
 * so it is capped at CONTAINS_MAX_SCANS requests of CONTAINS_SCAN_LIMIT entries each — a bounded
 * cost per call whatever the index size — and when the cap is reached before the index ends the
 * response says `truncated: true` (matches beyond the part read are not returned: narrow the
 * search, or search by USCC). Results come in index order; deeper pages re-read from the start,
 * within the same cap. Prefix searches, the common case, never pay for this.
 */
async function nameContainsRecords(q: string, type: Publicity, today: string, keep: (r: PublicRecord) => boolean, w: Window) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      FilterExpression: 'begins_with(#c_pubpk, :shards) AND contains(#p_subjectName, :q)',
      ExpressionAttributeNames: { '#c_pubpk': 'pubpk' },
      ExpressionAttributeValues: { ':shards': `PUB#${type}#`, ':q': q },
      Limit: CONTAINS_SCAN_LIMIT,
    },
    [type],
    today,
  );
  const read = await collect('scan', input, (r) => r.subjectName.includes(q) && keep(r), needed(w), { maxRequests: CONTAINS_MAX_SCANS });
  return { ...pageOf(read.records, w), truncated: read.truncated };
}

export const handler = httpHandler(
  {
    'GET /v1/public/publicity': search,
    'GET /v1/public/subjects/{uscc}': subjectSummary,
    'GET /v1/public/catalog': publicCatalog,
    'GET /v1/public/catalog/items': publicCatalogItems,
  },
  { clientLimit: admitClient },
);
