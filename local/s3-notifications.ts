/**
 * fauxqs has no bucket notifications, so the local runtime emits them: it watches a bucket's
 * notified prefix (the upload bucket's incoming/, the imports bucket's catalog/) and sends each new
 * object version to that bucket's queue as an S3 event notification of the AWS shape (keys URL-encoded, '+' for spaces), exactly what the S3 →
 * SQS notification delivers in AWS.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export function s3EventBody(bucket: string, key: string, size: number, etag: string, at = new Date()) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'cn-north-1',
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'incoming-uploads',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeEventKey(key), size, eTag: etag.replace(/"/g, ''), sequencer: at.getTime().toString(16).toUpperCase() },
        },
      },
    ],
  };
}

export interface NotificationBridge {
  /** Scans once now (tests call this to avoid waiting for the next tick). */
  scan(): Promise<void>;
  stop(): Promise<void>;
}

export function startNotificationBridge(o: {
  s3: S3Client;
  sqs: SQSClient;
  bucket: string;
  /** Keys under this prefix are notified (the manifest's notify.prefix). */
  prefix?: string;
  queueUrl: string;
  everyMs: number;
  onError: (e: unknown) => void;
}): NotificationBridge {
  const seen = new Map<string, string>();
  let running = true;
  let current: Promise<void> = Promise.resolve();
  const scanOnce = async () => {
    let token: string | undefined;
    do {
      const out = await o.s3.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: o.prefix ?? 'incoming/', ContinuationToken: token }));
      for (const obj of out.Contents ?? []) {
        const etag = (obj.ETag ?? '').replace(/"/g, '');
        if (!obj.Key || seen.get(obj.Key) === etag) continue;
        seen.set(obj.Key, etag);
        await o.sqs.send(new SendMessageCommand({ QueueUrl: o.queueUrl, MessageBody: JSON.stringify(s3EventBody(o.bucket, obj.Key, obj.Size ?? 0, etag)) }));
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  };
  const scan = () => {
    current = current.then(scanOnce).catch(o.onError);
    return current;
  };
  const timer = setInterval(() => {
    if (running) void scan();
  }, o.everyMs);
  return {
    scan,
    stop: async () => {
      running = false;
      clearInterval(timer);
      await current;
    },
  };
}
