/** Every item a DynamoDB Query matches, following LastEvaluatedKey through all pages. */
import { paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './clients.ts';

export async function queryAll<T = Record<string, unknown>>(input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: ddb }, input)) items.push(...((page.Items ?? []) as T[]));
  return items;
}
