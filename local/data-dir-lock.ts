/**
 * One platform per DATA_DIR: two would run two DynamoDB Locals on one SQLite file and deliver every
 * message twice. The lock is a file holding the owner's pid, created exclusively; a lock whose
 * process is gone (a `kill -9`, a power cut) is taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `another instance of the local platform (process ${pid}) holds the data in ${dataDir}. ` +
        `Stop it first (Ctrl-C in its terminal, or kill ${pid}), or start this one on another DATA_DIR.`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of dataDir or throws DataDirInUseError; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'instance.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(file, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUseError(dataDir, pid);
      rmSync(file, { force: true }); // its owner is gone: take the lock over
    }
  }
  throw new Error(`could not lock ${dataDir}: ${file} keeps reappearing`);
}
