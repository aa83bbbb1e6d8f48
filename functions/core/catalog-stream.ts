/**
 * Reads a catalog document (the body of PUT /v1/catalog) as a stream, without holding it whole: each entry of
 * `items` is handed over as soon as the parser completes it and then dropped from the parser's
 * stack; the other top-level properties (the small sections, the version) arrive whole. The
 * parser is @streamparser/json (docs/catalog-import.md says why this one).
 */
import { createGunzip } from 'node:zlib';
import { JSONParser } from '@streamparser/json';
import { StreamedCatalogCheck, type CatalogProblem } from './catalog.ts';

export interface CatalogStreamHandlers {
  item(index: number, value: unknown): void | Promise<void>;
  property(key: string, value: unknown): void | Promise<void>;
}

export class CatalogSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogSyntaxError';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Bytes of the document, gunzipped when they start with the gzip magic number. */
async function* plain(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest = async function* () {
    yield first.value;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  };
  if (first.value[0] !== GZIP_MAGIC[0] || first.value[1] !== GZIP_MAGIC[1]) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip();
  const feed = (async () => {
    try {
      for await (const c of rest()) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (err) {
      gunzip.destroy(err as Error);
    }
  })();
  try {
    for await (const c of gunzip) yield c as Uint8Array;
  } catch (err) {
    throw new CatalogSyntaxError(`the gzip stream is damaged: ${(err as Error).message}`);
  }
  await feed;
}

/**
 * Feeds the document through the handlers in document order. Handler promises are awaited before
 * the next chunk is parsed, so a slow consumer (the publish pass writing items) holds the stream back.
 */
export async function streamCatalog(chunks: AsyncIterable<Uint8Array>, handlers: CatalogStreamHandlers): Promise<void> {
  const parser = new JSONParser({ paths: ['$.items.*', '$.*'], keepStack: false });
  let pending: Array<void | Promise<void>> = [];
  let failure: Error | undefined;
  let sawRoot = false;
  parser.onValue = ({ value, key, parent, stack }) => {
    if (stack.length === 2) {
      // an entry of items: its parent `$.items` is itself emitted, so the parser would keep it; drop it here
      if (Array.isArray(parent)) parent.length -= 1;
      if (stack[1]?.key === 'items' && typeof key === 'number') pending.push(handlers.item(key, value));
      return;
    }
    if (stack.length === 1 && typeof key === 'string') pending.push(handlers.property(key, value));
  };
  parser.onError = (err) => {
    failure ??= err;
  };
  for await (const chunk of plain(chunks)) {
    if (failure) break;
    if (!sawRoot) {
      const firstByte = Buffer.from(chunk).toString('utf8').trimStart()[0];
      if (firstByte !== undefined) {
        sawRoot = true;
        if (firstByte !== '{') throw new CatalogSyntaxError('the catalog document must be one JSON object');
      }
    }
    try {
      parser.write(chunk);
    } catch (err) {
      failure ??= err as Error;
    }
    if (pending.length > 0) {
      const now = pending;
      pending = [];
      await Promise.all(now);
    }
  }
  if (!failure && !parser.isEnded) {
    try {
      parser.end();
    } catch (err) {
      failure = err as Error;
    }
  }
  if (failure) throw new CatalogSyntaxError(`the catalog document is not valid JSON: ${failure.message}`);
  if (!sawRoot) throw new CatalogSyntaxError('the catalog document is empty');
  await Promise.all(pending);
}

/** Validates a streamed document: every problem, as parseCatalog reports them; and how many items and providers it holds. */
export async function checkCatalogStream(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ problems: CatalogProblem[]; items: number; providers: number; version: unknown; rest: Record<string, unknown> }> {
  const check = new StreamedCatalogCheck();
  let providers = 0;
  let version: unknown;
  await streamCatalog(chunks, {
    item: (i, v) => check.item(i, v),
    property: (k, v) => {
      if (k === 'providers' && Array.isArray(v)) providers = v.length;
      if (k === 'version') version = v;
      check.property(k, v);
    },
  });
  return { problems: check.finish(), items: check.items, providers, version, rest: check.rest() };
}

/** A whole in-memory body (gzip or not) as the chunk stream streamCatalog reads. */
export async function* chunksOf(body: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}
