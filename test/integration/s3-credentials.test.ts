/**
 * The local S3 endpoint (S3_PORT) confines each provider's credentials to incoming/{provider}/ of
 * the upload bucket, as the upload role and the bucket policy do in AWS (local/s3-endpoint.ts):
 * signatures are verified (header and presigned), one provider cannot write, list or start a
 * multipart upload under another's prefix, and a provider cannot read, copy or delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
const clients: S3Client[] = [];
beforeAll(async () => {
  p = await startTestPlatform();
}, 180_000); // a DynamoDB Local (JVM) start: 15–25 s on the shared 2-core machine, more under load
afterAll(async () => {
  for (const c of clients) c.destroy();
  await p?.stop();
});

const s3As = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
  const c = new S3Client({ region: 'cn-north-1', endpoint: p.s3Endpoint, forcePathStyle: true, credentials });
  clients.push(c);
  return c;
};
async function credentialsOf(unit: string) {
  const res = await p.api('POST', '/local/s3-credentials', { token: await p.as('provider', unit) });
  expect(res.status).toBe(200);
  return res.json as { accessKeyId: string; secretAccessKey: string; bucket: string; prefix: string; endpoint: string };
}
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (e: S3ServiceException) => `${e.$metadata?.httpStatusCode} ${e.name}`,
  );
const operator = () => s3As({ accessKeyId: 'local', secretAccessKey: 'local' });
const exists = (key: string) => refusal(operator().send(new GetObjectCommand({ Bucket: 'credit-uploads', Key: key })));

describe('per-provider credentials at the local S3 endpoint', () => {
  it('are handed to a provider token only, stable and different per provider', async () => {
    const amr = await credentialsOf('SH-AMR');
    expect(amr).toMatchObject({ accessKeyId: 'provider-SH-AMR', bucket: 'credit-uploads', prefix: 'incoming/SH-AMR/', endpoint: p.s3Endpoint });
    expect(await credentialsOf('SH-AMR')).toEqual(amr);
    expect((await credentialsOf('SH-TAX')).secretAccessKey).not.toBe(amr.secretAccessKey);
    expect((await p.api('POST', '/local/s3-credentials', { token: await p.as('admin') })).status).toBe(403);
    expect((await p.api('POST', '/local/s3-credentials')).status).toBe(403);
  });

  it('let a provider write and list its own prefix, and nothing of another provider', async () => {
    const amr = s3As(await credentialsOf('SH-AMR'));
    const own = 'incoming/SH-AMR/AMR-PENALTY/own.csv';
    const other = 'incoming/SH-TAX/TAX-ARREARS/planted.csv';
    expect(await refusal(amr.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: own, Body: 'a,b\n' })))).toBe('allowed');
    expect(await exists(own)).toBe('allowed');
    const listed = await amr.send(new ListObjectsV2Command({ Bucket: 'credit-uploads', Prefix: 'incoming/SH-AMR/' }));
    expect(listed.Contents?.map((o) => o.Key)).toContain(own);

    expect(await refusal(amr.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: other, Body: 'a,b\n' })))).toBe('403 AccessDenied');
    expect(await exists(other)).toBe('404 NoSuchKey');
    expect(await refusal(amr.send(new CreateMultipartUploadCommand({ Bucket: 'credit-uploads', Key: other })))).toBe('403 AccessDenied');
    expect(await refusal(amr.send(new ListObjectsV2Command({ Bucket: 'credit-uploads', Prefix: 'incoming/SH-TAX/' })))).toBe('403 AccessDenied');
    expect(await refusal(amr.send(new ListObjectsV2Command({ Bucket: 'credit-uploads' })))).toBe('403 AccessDenied');
    // a prefix that merely starts like its own, and a key that climbs out of it on the emulator's disk
    expect(await refusal(amr.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: 'incoming/SH-AMRX/f.csv', Body: 'x' })))).toBe('403 AccessDenied');
    expect(await refusal(amr.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: 'incoming/SH-AMR/../SH-TAX/f.csv', Body: 'x' })))).toBe(
      '403 AccessDenied',
    );
    // the upload role writes; it does not read, delete or reach the platform's other buckets
    expect(await refusal(amr.send(new GetObjectCommand({ Bucket: 'credit-uploads', Key: own })))).toBe('403 AccessDenied');
    expect(await refusal(amr.send(new DeleteObjectCommand({ Bucket: 'credit-uploads', Key: own })))).toBe('403 AccessDenied');
    expect(await refusal(amr.send(new PutObjectCommand({ Bucket: 'credit-work', Key: 'incoming/SH-AMR/x', Body: 'x' })))).toBe('403 AccessDenied');
  });

  it('verify signatures: a wrong secret, an unknown key and an unsigned request are refused', async () => {
    const amr = await credentialsOf('SH-AMR');
    const key = 'incoming/SH-AMR/AMR-PENALTY/forged.csv';
    const forged = s3As({ accessKeyId: amr.accessKeyId, secretAccessKey: `${amr.secretAccessKey}x` });
    expect(await refusal(forged.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: key, Body: 'x' })))).toBe('403 SignatureDoesNotMatch');
    const unknown = s3As({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' });
    expect(await refusal(unknown.send(new PutObjectCommand({ Bucket: 'credit-uploads', Key: key, Body: 'x' })))).toBe('403 InvalidAccessKeyId');
    expect((await fetch(`${p.s3Endpoint}/credit-uploads/${key}`, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect(await exists(key)).toBe('404 NoSuchKey');
  });

  it("serve SQS on the same port to the operator's credential only (the signature covers the body)", async () => {
    const sqsAs = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new SQSClient({ region: 'cn-north-1', endpoint: p.s3Endpoint, credentials, useQueueUrlAsEndpoint: false });
    const QueueUrl = p.emulators.queues.checkParts.url;
    const op = sqsAs({ accessKeyId: 'local', secretAccessKey: 'local' });
    const provider = sqsAs(await credentialsOf('SH-AMR'));
    try {
      const attrs = await op.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
      expect(attrs.Attributes?.VisibilityTimeout).toBeDefined();
      const denied = await provider.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] })).then(
        () => 0,
        (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode,
      );
      expect(denied).toBe(403);
    } finally {
      op.destroy();
      provider.destroy();
    }
  });

  it('hold for presigned URLs a provider signs itself', async () => {
    const amr = s3As(await credentialsOf('SH-AMR'));
    const own = await getSignedUrl(amr, new PutObjectCommand({ Bucket: 'credit-uploads', Key: 'incoming/SH-AMR/AMR-PENALTY/signed.csv' }), { expiresIn: 600 });
    expect((await fetch(own, { method: 'PUT', body: 'a,b\n' })).status).toBe(200);
    const other = await getSignedUrl(amr, new PutObjectCommand({ Bucket: 'credit-uploads', Key: 'incoming/SH-TAX/TAX-ARREARS/signed.csv' }), {
      expiresIn: 600,
    });
    expect((await fetch(other, { method: 'PUT', body: 'a,b\n' })).status).toBe(403);
    expect((await fetch(own.replace('signed.csv', 'renamed.csv'), { method: 'PUT', body: 'a,b\n' })).status).toBe(403); // the key is signed
    expect(await exists('incoming/SH-TAX/TAX-ARREARS/signed.csv')).toBe('404 NoSuchKey');
  });
});
