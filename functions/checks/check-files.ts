/**
 * A check's objects in the work bucket:
 *   checks/{checkId}/input/{n}.json     the ids of part n, as submitted
 *   checks/{checkId}/parts/{n}.jsonl    one result line per id of part n
 *   checks/{checkId}/result.csv|.jsonl  every part's lines in submission order, written at completion
 * Results are written with a multipart-capable upload: a 100,000-id result runs to tens of MB.
 */
import { Upload } from '@aws-sdk/lib-storage';
import pMap from 'p-map';
import { csvLine } from '#core/csv-out';
import { s3 } from '#adapters/clients';
import { bucketName } from '#adapters/config';
import { getText, putText } from '#adapters/object-store';
import { sealer, unseal } from '#adapters/personal-data';
import type { JointLine } from '../joint/index.ts';

export interface PartInput {
  checkId: string;
  part: number;
  /** 1-based position of the part's first id in the submitted list. */
  firstRow: number;
  ids: string[];
}

/** One line of the result: one submitted id. */
export interface SubjectResult {
  /** 1-based position in the submitted list. */
  row: number;
  /** USCC, or the masked ID number; for an invalid id, what was submitted (ID numbers masked). */
  subject: string;
  valid: boolean;
  error?: { code: string; message: string };
  found: boolean;
  outcome?: 'ALLOWED' | 'REFUSED' | 'NOT_FOUND';
  negativeRecords: number;
  records: Array<{ recordId: string; item: string; key: string }>;
  /** A joint check's answer for the subject (functions/joint/bulk). */
  joint?: JointLine;
}

export const CSV_COLUMNS = ['row', 'subject', 'found', 'negativeRecords', 'items', 'keys', 'error'] as const;

const pad = (n: number) => String(n).padStart(6, '0');
export const inputKey = (checkId: string, part: number) => `checks/${checkId}/input/${pad(part)}.json`;
export const partKey = (checkId: string, part: number) => `checks/${checkId}/parts/${pad(part)}.jsonl`;
export const resultCsvKey = (checkId: string) => `checks/${checkId}/result.csv`;
export const resultJsonlKey = (checkId: string) => `checks/${checkId}/result.jsonl`;

const bucket = () => bucketName('work');

/**
 * A part's submitted ids are stored sealed (AES-256-GCM under the personal-data key, like ID
 * numbers in the tables): a check of natural persons leaves no ID number in clear in its inputs.
 */
export async function writeInputs(inputs: PartInput[]): Promise<void> {
  const seal = await sealer();
  await pMap(
    inputs,
    ({ ids, ...rest }) =>
      putText(bucket(), inputKey(rest.checkId, rest.part), JSON.stringify({ ...rest, sealedIds: seal(JSON.stringify(ids)) }), 'application/json'),
    { concurrency: 8 },
  );
}

export async function readInput(checkId: string, part: number): Promise<PartInput> {
  const stored = JSON.parse(await getText(bucket(), inputKey(checkId, part))) as Omit<PartInput, 'ids'> & { ids?: string[]; sealedIds?: string };
  const { sealedIds, ...rest } = stored;
  // inputs written before sealing carry `ids` in clear (they expire with the check's 30 days)
  return { ...rest, ids: sealedIds === undefined ? (stored.ids ?? []) : (JSON.parse(await unseal(sealedIds)) as string[]) };
}

export async function writePart(checkId: string, part: number, lines: SubjectResult[]): Promise<void> {
  await putText(bucket(), partKey(checkId, part), lines.map((l) => JSON.stringify(l)).join('\n') + '\n', 'application/x-ndjson');
}

export function csvRow(r: SubjectResult): string {
  return csvLine([
    r.row,
    r.subject,
    r.valid ? r.found : '',
    r.valid ? r.negativeRecords : '',
    r.records.map((x) => x.item),
    r.records.map((x) => x.key),
    r.error ? `${r.error.code}: ${r.error.message}` : '',
  ]);
}

/** Concatenates the parts, in order, into result.csv and result.jsonl. Idempotent. */
export async function writeResults(checkId: string, partCount: number): Promise<void> {
  const texts = await pMap(
    Array.from({ length: partCount }, (_, i) => i),
    (i) => getText(bucket(), partKey(checkId, i)),
    { concurrency: 8 },
  );
  const csv: string[] = [csvLine([...CSV_COLUMNS])];
  const jsonl: string[] = [];
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line) continue;
      jsonl.push(line);
      csv.push(csvRow(JSON.parse(line) as SubjectResult));
    }
  }
  // a UTF-8 BOM so spreadsheets open the Chinese text correctly
  await upload(resultCsvKey(checkId), '\uFEFF' + csv.join(''), 'text/csv; charset=utf-8');
  await upload(resultJsonlKey(checkId), jsonl.join('\n') + '\n', 'application/x-ndjson');
}

async function upload(key: string, body: string, contentType: string): Promise<void> {
  await new Upload({
    client: s3,
    params: { Bucket: bucket(), Key: key, Body: Buffer.from(body, 'utf8'), ContentType: contentType },
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
  }).done();
}
