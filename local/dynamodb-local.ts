/**
 * DynamoDB Local, AWS's own DynamoDB emulator (transactions, PartiQL, SQLite on disk), launched as
 * a Java process. The jar comes from the npm package `amplify-dynamodb-simulator` (folder
 * `emulator/`); its JavaScript wrapper and that wrapper's dependencies are not used (package.json
 * `overrides` keep them out of the install).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  readonly code = 'JAVA_MISSING';
  constructor() {
    super(
      'DynamoDB Local (the local DynamoDB) needs Java 17 or later, and no `java` was found on the PATH or in JAVA_HOME. ' +
        'Install a Java runtime — on Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless` — or set JAVA_HOME, then run the command again.',
    );
  }
}

/** The folder holding DynamoDBLocal.jar and its DynamoDBLocal_lib. */
export function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** JAVA_HOME/bin/java, else the first `java` on the PATH; null when there is none. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    ...(env.JAVA_HOME ? [join(env.JAVA_HOME, 'bin', 'java')] : []),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'java')),
  ];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return null;
}

/** A port the OS just handed out; DynamoDB Local refuses port 0, so a bind race is retried below. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/*
 * The shell in between ties the emulator's life to this process: it reads our stdin (fd 3) and
 * kills Java when that pipe closes — on stop() or when Node dies, even by SIGKILL. It runs in its
 * own process group (detached), so a Ctrl-C in the terminal reaches Node only, which drains its
 * work and then stops the emulator, instead of the emulator dying under in-flight writes.
 */
const SUPERVISOR = 'exec 3<&0; "$@" </dev/null & j=$!; { cat <&3 >/dev/null; kill $j 2>/dev/null; } & wait $j';

const STARTUP_MS = 180_000; // a JVM start on a loaded 2-core machine has taken 20 s; this is a bound, not an expectation
const ATTEMPTS = 5;

export interface DynamoDbLocalOptions {
  dbPath: string | null;
  log?: (msg: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Where each attempt's port comes from (tests hand out a taken one first); a free port by default. */
  pickPort?: () => Promise<number>;
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const java = findJava(opts.env);
  if (!java) throw new JavaMissingError();
  const dir = emulatorDir();
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) throw new Error(`DynamoDBLocal.jar not found in ${dir}: run npm ci`);
  let lastOutput = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await (opts.pickPort ?? freePort)();
    const args = [
      java,
      '-Xmx1g',
      ...javaOptions(opts.env ?? process.env),
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      // one database whatever the credentials and region of the caller, as one account's tables in AWS
      '-sharedDb',
      '-disableTelemetry',
      ...(opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory']),
    ];
    const child = spawn('sh', ['-c', SUPERVISOR, 'dynamodb-local', ...args], { cwd: dir, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const collect = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-20_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const bindFailed = () => /BindException|Address already in use/.test(output);
    const ready = await waitReady(port, exited, bindFailed);
    if (ready === 'ready') {
      opts.log?.(`DynamoDB Local on port ${port}${opts.dbPath ? ` (tables in ${opts.dbPath})` : ' (in memory)'}`);
      return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => stopChild(child, exited) };
    }
    await stopChild(child, exited);
    lastOutput = output;
    // someone took the port between our look and Java's bind: try another
    if (ready === 'port-taken') continue;
    break;
  }
  throw new Error(`DynamoDB Local did not start:\n${lastOutput.trim().split('\n').slice(-15).join('\n')}`);
}

/**
 * Extra JVM options from DYNAMODB_LOCAL_JAVA_OPTS (space-separated). The test suite sets
 * `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC` (test/setup-env.ts): each test file starts its own
 * emulator, and the client JIT compiler alone halves a start's CPU (5.4 → 2.8 CPU-seconds) on the
 * 2-core machine; `npm start` and the benchmarks keep the JVM's defaults (docs/local-runtime.md).
 */
export function javaOptions(env: NodeJS.ProcessEnv): string[] {
  return (env.DYNAMODB_LOCAL_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
}

async function waitReady(port: number, exited: Promise<number | null>, bindFailed: () => boolean): Promise<'ready' | 'port-taken' | 'exited' | 'timeout'> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    // Ready means DynamoDB answers, not merely that something listens: between freePort() and Java's
    // bind another process (another emulator's S3/SQS endpoint, in a parallel test file) can take the
    // port. Java then logs a BindException, and stays up without serving, so its log is the signal.
    if (bindFailed()) return 'port-taken';
    if (gone) return 'exited';
    if (await answersAsDynamoDb(port)) return gone ? 'exited' : 'ready';
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'timeout';
}

async function answersAsDynamoDb(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      signal: AbortSignal.timeout(2000),
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        // DynamoDB Local wants the header's shape but checks no signature
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/cn-north-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    const body = (await res.json().catch(() => null)) as { TableNames?: unknown } | null;
    return res.ok && Array.isArray(body?.TableNames);
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin!.end(); // the supervisor kills Java (SIGTERM: SQLite closes cleanly) and exits
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}
