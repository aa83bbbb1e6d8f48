/** The export lease as a run holds it (functions/export/national-push.ts): renewed as the run goes. */
import { renewLease } from '#adapters/export-repo';

/**
 * The run's lease, renewed every tenth of its length (not on every page: a renewal waits behind
 * the page reads on a busy table), at most one renewal in flight.
 */
export function leaseKeeper(o: { runId: string; leaseMs: number }, now: () => Date) {
  let renewedAt = Date.now();
  let renewing: Promise<void> | undefined;
  let lost = false;
  let failure: unknown;
  return {
    renewIfDue() {
      if (failure) throw failure;
      if (renewing || Date.now() - renewedAt < o.leaseMs / 10) return;
      renewedAt = Date.now();
      renewing = renewLease(o.runId, now(), o.leaseMs)
        .then((held) => {
          if (!held) lost = true;
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => {
          renewing = undefined;
        });
    },
    lost: () => lost,
    async settle() {
      await renewing;
      if (failure) throw failure;
    },
  };
}
