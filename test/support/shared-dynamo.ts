/**
 * One DynamoDB Local per Vitest worker instead of one per test file (docs/testing.md). A Vitest
 * globalSetup: the main process serves `GET /<VITEST_POOL_ID>` on a loopback port and starts that
 * worker's emulator on its first ask, so a run of unit files alone starts none. The emulators belong
 * to the main process (they die with it, local/dynamodb-local.ts) and stop at teardown. Each test
 * platform creates its tables under its own prefix and deletes them on stop (local/emulators.ts), so
 * no file sees another's items.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import '../setup-env.ts'; // the JVM options the files' own emulators get

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where a test file asks for its worker's DynamoDB Local endpoint (empty: start one of its own). */
    sharedDynamoUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = new Map<string, Promise<DynamoDbLocal>>();
  const server = createServer((req, res) => {
    const pool = /^\/(\d+)$/.exec(req.url ?? '')?.[1];
    if (!pool) {
      res.writeHead(404).end();
      return;
    }
    let dynamo = started.get(pool);
    if (!dynamo) {
      dynamo = startDynamoDbLocal({ dbPath: null });
      started.set(pool, dynamo);
      dynamo.catch(() => started.delete(pool)); // the next file of this worker tries again
    }
    dynamo.then(
      (d) => res.writeHead(200, { 'content-type': 'text/plain' }).end(d.endpoint),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('sharedDynamoUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...started.values()].map((d) => d.then((x) => x.stop()).catch(() => undefined)));
  };
}
