/** Resource names from the environment, named by the manifest in lib/platform.ts. */
import { BUCKETS, QUEUES, TABLES, type BucketName, type QueueName, type TableName } from '#lib/platform';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const tableName = (t: TableName): string => required(TABLES[t].env);
export const bucketName = (b: BucketName): string => required(BUCKETS[b].env);
export const queueUrl = (q: QueueName): string => required(QUEUES[q].env);
export const env = (name: string): string | undefined => process.env[name];
export const requiredEnv = required;
