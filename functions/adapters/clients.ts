/**
 * AWS SDK clients, created once per container (module scope). Endpoints come from the standard
 * AWS_ENDPOINT_URL_* variables, so the same code talks to AWS or to the local emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { withFaults } from './faults.ts';
import { traced } from './powertools.ts';

const maxAttempts = 8; // throttling on a fresh on-demand table is retried with backoff, not surfaced

export const dynamo = traced(withFaults(new DynamoDBClient({ maxAttempts }), 'dynamodb'));
export const ddb = DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});
export const s3 = traced(withFaults(new S3Client({ maxAttempts, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }), 's3'));
// Against a local endpoint, talk to the endpoint itself rather than to the host in the queue URL
// (the local emulator issues queue URLs whose host is not resolvable).
export const sqs = traced(new SQSClient({ maxAttempts, useQueueUrlAsEndpoint: !process.env.AWS_ENDPOINT_URL_SQS }));
export const kms = traced(new KMSClient({ maxAttempts }));
export const secrets = traced(new SecretsManagerClient({ maxAttempts }));
