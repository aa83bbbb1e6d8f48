/**
 * The local S3 (and SQS) endpoint at S3_PORT, the one `npm start` prints for providers' own tools
 * (`aws s3 cp`, rclone). fauxqs checks no credentials, so this proxy in front of it does what IAM
 * does in AWS: it verifies each request's Signature Version 4 (header or presigned) and authorizes it.
 * - The operator's credential (`local`/`local`, the account's own, as an administrator's in AWS)
 *   may do everything. Never hand it to a provider.
 * - A provider's credential (`provider-{code}` and a secret derived from DATA_DIR's local key:
 *   `POST /local/s3-credentials` with that provider's token, as assuming the upload role with its
 *   provider tag in AWS) may do what the upload role allows (lib/provider-access-construct.ts) and
 *   nothing else: write (PutObject, multipart) and list, in the upload bucket, under
 *   `incoming/{code}/` only. Anything else answers 403 AccessDenied as S3 does.
 * Handlers talk to fauxqs directly, as Lambda's role does; presigned upload URLs go through the
 * CORS proxy (s3-cors-proxy.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KEEP_ALIVE_MARGIN } from './http-bridge.ts';

export const OPERATOR_ACCESS_KEY = 'local';
const OPERATOR_SECRET = 'local';
const PROVIDER_KEY_PREFIX = 'provider-';

export interface LocalS3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A provider's local S3 credential: stable for a DATA_DIR (derived from its key), different per provider. */
export function providerCredentials(localKey: string, provider: string): LocalS3Credentials {
  return {
    accessKeyId: `${PROVIDER_KEY_PREFIX}${provider}`,
    secretAccessKey: createHmac('sha256', localKey).update(`s3-upload-credential\u0000${provider}`).digest('base64url'),
  };
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

interface Signed {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  presigned: boolean;
}

function parseSignature(req: IncomingMessage, query: URLSearchParams): Signed | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('AWS4-HMAC-SHA256 ')) {
    const parts = Object.fromEntries(
      auth
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((p) => p.trim().split('=') as [string, string]),
    );
    const [accessKeyId, date, region, service] = String(parts.Credential ?? '').split('/');
    if (!accessKeyId || !date || !region || !service || !parts.SignedHeaders || !parts.Signature) return undefined;
    return {
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: parts.SignedHeaders.split(';'),
      signature: parts.Signature,
      amzDate: String(req.headers['x-amz-date'] ?? ''),
      // S3 clients send the payload's hash; other services (SQS) sign the body itself: hashed below
      payloadHash: String(req.headers['x-amz-content-sha256'] ?? ''),
      presigned: false,
    };
  }
  if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const [accessKeyId, date, region, service] = (query.get('X-Amz-Credential') ?? '').split('/');
    if (!accessKeyId || !date || !region || !service) return undefined;
    return {
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: query.get('X-Amz-Signature') ?? '',
      amzDate: query.get('X-Amz-Date') ?? '',
      payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      presigned: true,
    };
  }
  return undefined;
}

/** The SigV4 signature of `req` as the holder of `secret` computes it (S3 rules: the path encoded once, not normalised). */
export function expectedSignature(req: IncomingMessage, rawPath: string, rawQuery: string, s: Signed, secret: string): string {
  const canonicalUri =
    s.service === 's3'
      ? rawPath
          .split('/')
          .map((seg) => encode(decode(seg)))
          .join('/')
      : encodeURI(decode(rawPath));
  const canonicalQuery = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      return i < 0 ? [decode(p), ''] : [decode(p.slice(0, i)), decode(p.slice(i + 1))];
    })
    .filter(([k]) => !(s.presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [encode(k!), encode(v!)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = s.signedHeaders
    .map((h) => {
      const v = req.headers[h];
      return `${h}:${(Array.isArray(v) ? v.join(',') : String(v ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonical = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, s.signedHeaders.join(';'), s.payloadHash].join('\n');
  const scope = `${s.date}/${s.region}/${s.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', s.amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, s.date), s.region), s.service), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

export type Principal = { kind: 'operator' } | { kind: 'provider'; provider: string };

/**
 * What the upload role allows a provider (lib/provider-access-construct.ts): s3:PutObject (with the
 * multipart calls), AbortMultipartUpload and ListMultipartUploadParts on `incoming/{code}/*`, and
 * ListBucket / ListBucketMultipartUploads with an `incoming/{code}/` prefix, in the upload bucket.
 * Returns why not, or undefined when allowed.
 */
export function providerDenial(
  provider: string,
  uploadBucket: string,
  method: string,
  bucket: string,
  key: string,
  query: URLSearchParams,
  copySource: boolean,
): string | undefined {
  const own = `incoming/${provider}/`;
  if (bucket !== uploadBucket) return `a provider may use only the upload bucket ${uploadBucket}`;
  if (!key) {
    // bucket-level: ListObjects(V2) and ListMultipartUploads, with a prefix inside the own one
    if (method !== 'GET') return 'a provider may only list the upload bucket';
    if (!(query.get('prefix') ?? '').startsWith(own)) return `a provider lists only with a prefix under ${own}`;
    return undefined;
  }
  // fauxqs keeps objects as files named by their keys: '.' and '..' segments would land elsewhere on disk
  if (key.split('/').some((seg) => seg === '.' || seg === '..')) return 'a key with . or .. segments is refused by the local S3';
  if (!key.startsWith(own)) return `a provider writes only under ${own}`;
  if (method === 'PUT' && !copySource) return undefined; // PutObject, UploadPart
  if (method === 'POST' && (query.has('uploads') || query.has('uploadId'))) return undefined; // Create/CompleteMultipartUpload
  if (method === 'DELETE' && query.has('uploadId')) return undefined; // AbortMultipartUpload
  if (method === 'GET' && query.has('uploadId')) return undefined; // ListParts
  return 'the upload role allows writing, not reading, copying or deleting';
}

function s3Error(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/[<&>]/g, '')}</Message></Error>`);
}

export interface S3EndpointOptions {
  /** fauxqs's own address. */
  target: string;
  port: number;
  /** The key provider secrets are derived from (kept in DATA_DIR). */
  localKey: string;
  uploadBucket: string;
}

export async function startS3Endpoint(o: S3EndpointOptions): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const upstream = new URL(o.target);
  const secretOf = (accessKeyId: string): { principal: Principal; secret: string } | undefined => {
    if (accessKeyId === OPERATOR_ACCESS_KEY) return { principal: { kind: 'operator' }, secret: OPERATOR_SECRET };
    if (accessKeyId.startsWith(PROVIDER_KEY_PREFIX)) {
      const provider = accessKeyId.slice(PROVIDER_KEY_PREFIX.length);
      if (/^[A-Z0-9][A-Z0-9-]{0,63}$/.test(provider))
        return { principal: { kind: 'provider', provider }, secret: providerCredentials(o.localKey, provider).secretAccessKey };
    }
    return undefined;
  };

  const server = createServer(KEEP_ALIVE_MARGIN, async (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const query = new URLSearchParams(rawQuery);
    const signed = parseSignature(req, query);
    if (!signed) return s3Error(res, 403, 'AccessDenied', 'Anonymous access is not allowed: sign the request with local credentials');
    const known = secretOf(signed.accessKeyId);
    if (!known) return s3Error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    let body: Buffer | undefined;
    if (!signed.payloadHash) {
      // an SQS (JSON/query) request: small, so read it to hash it, as the signature covers it
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = Buffer.concat(chunks);
      signed.payloadHash = createHash('sha256').update(body).digest('hex');
    }
    const expected = Buffer.from(expectedSignature(req, rawPath, rawQuery, signed, known.secret));
    const given = Buffer.from(signed.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return s3Error(
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    if (known.principal.kind === 'provider') {
      // path-style (http://127.0.0.1:PORT/bucket/key), or virtual-hosted on a *.localhost name
      const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
      const virtual = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : '';
      const segments = rawPath.split('/').slice(1).map(decode);
      const bucket = virtual || segments[0] || '';
      const key = (virtual ? segments : segments.slice(1)).join('/');
      const why =
        signed.service === 's3'
          ? providerDenial(known.principal.provider, o.uploadBucket, req.method ?? 'GET', bucket, key, query, req.headers['x-amz-copy-source'] !== undefined)
          : 'a provider credential is for S3 only';
      if (why) return s3Error(res, 403, 'AccessDenied', `Access Denied (${signed.accessKeyId}: ${why})`);
    }
    const headers = { ...req.headers, host: upstream.host };
    delete headers.expect; // this server has answered 100-continue already
    // as s3-cors-proxy.ts: S3 stores a body sent without a content type as binary/octet-stream; fauxqs answers an empty one with 500
    if ((req.method === 'PUT' || req.method === 'POST') && !headers['content-type'] && signed.service === 's3') headers['content-type'] = 'binary/octet-stream';
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    if (body) out.end(body);
    else req.pipe(out);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
