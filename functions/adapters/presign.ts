/** Presigned S3 URLs for provider uploads: a single PUT, or a multipart upload's parts. */
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '#lib/platform';
import { s3 } from './clients.ts';

const EXPIRES_SECONDS = 3600;

/** Signs URLs for the endpoint browsers reach: the same client in AWS; locally the CORS proxy. */
const publicEndpoint = process.env[ENV.publicS3Endpoint];
const signer = publicEndpoint ? new S3Client({ endpoint: publicEndpoint, forcePathStyle: true }) : s3;

export function presignPut(bucket: string, key: string): Promise<string> {
  return getSignedUrl(signer, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: EXPIRES_SECONDS });
}

export async function presignMultipart(bucket: string, key: string, parts: number): Promise<{ uploadId: string; partUrls: string[] }> {
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const uploadId = created.UploadId!;
  const partUrls = await Promise.all(
    Array.from({ length: parts }, (_, i) =>
      getSignedUrl(signer, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1 }), { expiresIn: EXPIRES_SECONDS }),
    ),
  );
  return { uploadId, partUrls };
}

export async function completeMultipart(bucket: string, key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<void> {
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    }),
  );
}
