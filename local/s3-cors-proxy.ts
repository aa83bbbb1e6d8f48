/**
 * The browser's way into the local S3: a pass-through proxy in front of the emulator that answers
 * CORS preflights and adds the CORS headers S3 sends for a bucket with a CORS rule (the deployed
 * upload bucket has one: PUT from the console's origin, ETag exposed for multipart). Presigned
 * upload URLs point here locally (ENV.publicS3Endpoint); handlers still talk to the emulator directly.
 */
import { createServer, request, type Server } from 'node:http';
import { KEEP_ALIVE_MARGIN } from './http-bridge.ts';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'PUT, GET, HEAD',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'ETag, x-amz-version-id',
  'access-control-max-age': '3000',
};

export async function startS3CorsProxy(target: string): Promise<{ url: string; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const server: Server = createServer(KEEP_ALIVE_MARGIN, (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    // S3 stores a body sent without a content type as binary/octet-stream, an empty one too; fauxqs
    // 2.4.1 answers an empty body without one with 500 (ERR_INVALID_ARG_TYPE), so say it for the client
    if ((req.method === 'PUT' || req.method === 'POST') && !headers['content-type']) headers['content-type'] = 'binary/octet-stream';
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, { ...up.headers, ...CORS });
      up.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502, CORS);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
