/** Presigned S3 GET URLs for results people download (bulk check files). */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from './clients.ts';

export const GET_URL_EXPIRES_SECONDS = 3600;

/** A URL that downloads the object for `expiresIn` seconds, saved under `fileName`. */
export function presignGet(bucket: string, key: string, opts: { expiresIn?: number; fileName?: string; contentType?: string } = {}): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(opts.fileName ? { ResponseContentDisposition: `attachment; filename="${opts.fileName}"` } : {}),
      ...(opts.contentType ? { ResponseContentType: opts.contentType } : {}),
    }),
    { expiresIn: opts.expiresIn ?? GET_URL_EXPIRES_SECONDS },
  );
}
