/**
 * Bulk catalog imports (POST /v1/catalog/imports): one row per import in the catalog table,
 * pk = IMPORT#{importId}, sk = IMPORT. RECEIVED (waiting for or holding the document) →
 * VALIDATING → PUBLISHED | REJECTED, or FAILED with a `reason` when its message failed every
 * attempt (catalog/import-dead-letters.ts). A rejection keeps the first PROBLEMS_INLINE problems in the
 * row (DynamoDB's 400 KB item limit); all of them go to the work bucket, presigned on read.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import type { CatalogProblem } from '#core/catalog';
import { isConditionFailure } from './conditions.ts';
import { ddb, s3 } from './clients.ts';
import { bucketName, tableName } from './config.ts';

export type ImportStatus = 'RECEIVED' | 'VALIDATING' | 'PUBLISHED' | 'REJECTED' | 'FAILED';

export interface CatalogImport {
  importId: string;
  status: ImportStatus;
  createdAt: string;
  createdBy: string;
  key: string;
  version?: string;
  items?: number;
  providers?: number;
  problems?: CatalogProblem[];
  problemCount?: number;
  problemsKey?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why a FAILED import failed. */
  reason?: string;
}

export const PROBLEMS_INLINE = 1000;
const keyOf = (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' });

export async function createImport(imp: CatalogImport): Promise<void> {
  await ddb.send(
    new PutCommand({ TableName: tableName('catalog'), Item: { ...keyOf(imp.importId), ...imp }, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
}

export async function getImport(importId: string): Promise<CatalogImport | null> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: keyOf(importId), ConsistentRead: true }));
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, ...imp } = out.Item;
  return imp as CatalogImport;
}

/** RECEIVED → VALIDATING (or a VALIDATING import whose earlier attempt did not finish); false once it has ended. */
export async function startImport(importId: string): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('catalog'),
        Key: keyOf(importId),
        UpdateExpression: 'SET #s = :v, startedAt = if_not_exists(startedAt, :now)',
        ConditionExpression: '#s IN (:r, :v)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'RECEIVED', ':v': 'VALIDATING', ':now': new Date().toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Notes the version an import is publishing (before its first entry is written), so a dead letter can release its claim. */
export async function noteVersion(importId: string, version: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('catalog'),
      Key: keyOf(importId),
      UpdateExpression: 'SET #v = :v',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#v': 'version' },
      ExpressionAttributeValues: { ':v': version },
    }),
  );
}

/**
 * RECEIVED | VALIDATING → FAILED with `reason`; false (nothing written) once the import has ended,
 * so a dead letter delivered twice, or after the import ended, changes nothing.
 */
export async function failImport(importId: string, reason: string): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('catalog'),
        Key: keyOf(importId),
        UpdateExpression: 'SET #s = :f, reason = :reason, finishedAt = :now',
        ConditionExpression: '#s IN (:r, :v)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'FAILED', ':reason': reason, ':r': 'RECEIVED', ':v': 'VALIDATING', ':now': new Date().toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function endImport(
  importId: string,
  end: { status: 'PUBLISHED' | 'REJECTED'; version?: string; items?: number; providers?: number; problems?: CatalogProblem[] },
): Promise<void> {
  const problems = end.problems ?? [];
  let problemsKey: string | undefined;
  if (problems.length > PROBLEMS_INLINE) {
    problemsKey = `catalog/imports/${importId}/problems.json.gz`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucketName('work'),
        Key: problemsKey,
        Body: gzipSync(JSON.stringify(problems)),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
      }),
    );
  }
  const values: Record<string, unknown> = {
    ':s': end.status,
    ':v': 'VALIDATING',
    ':now': new Date().toISOString(),
    ':problems': problems.slice(0, PROBLEMS_INLINE),
    ':count': problems.length,
  };
  let set = 'SET #s = :s, finishedAt = :now, problems = :problems, problemCount = :count';
  for (const k of ['version', 'items', 'providers'] as const) {
    if (end[k] !== undefined) {
      set += `, #${k} = :${k}`;
      values[`:${k}`] = end[k];
    }
  }
  if (problemsKey) {
    set += ', problemsKey = :pk';
    values[':pk'] = problemsKey;
  }
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('catalog'),
      Key: keyOf(importId),
      UpdateExpression: set,
      ConditionExpression: '#s = :v',
      ExpressionAttributeNames: {
        '#s': 'status',
        ...Object.fromEntries((['version', 'items', 'providers'] as const).filter((k) => end[k] !== undefined).map((k) => [`#${k}`, k])),
      },
      ExpressionAttributeValues: values,
    }),
  );
}
