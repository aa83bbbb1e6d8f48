/**
 * The working-day calendar table (lib/platform.ts `calendar`): one item per year with an official
 * arrangement, pk = CALENDAR, sk = {year}. A year without an item is provisional (core/work-calendar).
 * The years `chinese-days` knows are seeded into the table (seedCalendar, run by the daily calendar
 * check and the local seed) and count as official even before they are, so nothing depends on the
 * seed having run. Readers cache the calendar per container for a minute: an arrangement published
 * in November matters from January, and the publishing container drops its cache at once.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { seededArrangements, WorkCalendar, type Arrangement } from '#core/work-calendar';
import { ddb } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';

const PK = 'CALENDAR';
const CACHE_MS = 60_000;

export interface StoredArrangement extends Arrangement {
  /** SEED: copied from chinese-days; ADMIN: published through PUT /v1/calendar/{year}. */
  origin: 'SEED' | 'ADMIN';
  publishedAt: string;
  publishedBy: string;
}

let cached: { at: number; value: WorkCalendar } | undefined;

/** Every stored arrangement, oldest year first (one small item per year: a few dozen at most). */
export async function storedArrangements(): Promise<StoredArrangement[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: tableName('calendar'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': PK },
    ConsistentRead: true,
  });
  return items.map((i) => ({
    year: Number(i.year),
    source: 'official' as const,
    holidays: (i.holidays as string[] | undefined) ?? [],
    workdays: (i.workdays as string[] | undefined) ?? [],
    origin: i.origin as StoredArrangement['origin'],
    publishedAt: String(i.publishedAt),
    publishedBy: String(i.publishedBy),
  }));
}

/** The calendar: seeded arrangements, overridden by the stored ones. */
export async function loadCalendar(opts: { fresh?: boolean } = {}): Promise<WorkCalendar> {
  if (!opts.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const byYear = new Map<number, Arrangement>(seededArrangements().map((a) => [a.year, a]));
  for (const a of await storedArrangements()) byYear.set(a.year, a);
  const value = new WorkCalendar(byYear.values());
  cached = { at: Date.now(), value };
  return value;
}

const toItem = (a: StoredArrangement) => ({
  pk: PK,
  sk: String(a.year),
  year: a.year,
  holidays: a.holidays,
  workdays: a.workdays,
  origin: a.origin,
  publishedAt: a.publishedAt,
  publishedBy: a.publishedBy,
});

/** Sets a year's official arrangement (the whole item: publishing the same list again changes nothing). */
export async function putArrangement(a: StoredArrangement): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName('calendar'), Item: toItem(a) }));
  cached = undefined;
}

/** Writes each seeded year the table lacks; a year already there (seeded or published) is left alone. */
export async function seedCalendar(at: string): Promise<number> {
  const written = await pMap(
    seededArrangements(),
    (a) =>
      conditionally(() =>
        ddb.send(
          new PutCommand({
            TableName: tableName('calendar'),
            Item: toItem({ ...a, origin: 'SEED', publishedAt: at, publishedBy: 'chinese-days' }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      ),
    { concurrency: 4 },
  );
  if (written.some(Boolean)) cached = undefined;
  return written.filter(Boolean).length;
}
