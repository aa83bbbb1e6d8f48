/**
 * Runtime fault switches for the local runtime and the tests (off by default, and never set in
 * AWS): a worker that dies after N subject-table writes, to prove redelivery changes nothing twice.
 */
export class InjectedCrashError extends Error {
  constructor(point: string) {
    super(`injected crash at ${point}`);
    this.name = 'InjectedCrashError';
  }
}

interface CrashAfterWrites {
  writes: number;
  /** How many times the crash fires before the switch turns itself off. */
  times: number;
}

const state: { crashAfterWrites?: CrashAfterWrites; writes: number } = { writes: 0 };

export const faults = {
  crashAfterWrites(writes: number, times = 1): void {
    state.crashAfterWrites = { writes, times };
    state.writes = 0;
  },
  clear(): void {
    state.crashAfterWrites = undefined;
    state.writes = 0;
  },
};

/** Called after each subject-table write. */
export function afterWrite(point: string): void {
  const crash = state.crashAfterWrites;
  if (!crash) return;
  if (++state.writes < crash.writes) return;
  state.writes = 0;
  if (--crash.times <= 0) state.crashAfterWrites = undefined;
  throw new InjectedCrashError(point);
}
