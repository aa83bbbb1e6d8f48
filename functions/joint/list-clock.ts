/**
 * Scheduled: moves the credit-list entries whose time has come (NOTIFIED → LISTED at the end of the
 * notice, LISTED → EXITED when their years are up) from the byDue index, and emits the overdue
 * feedback count (OverdueJointFeedback, alarmed). Its cost follows the transitions due.
 */
import { currentCatalog } from '#adapters/catalog-repo';
import { lambdaHandler } from '#adapters/handler-stack';
import { overdueFeedback } from '#adapters/joint-repo';
import { logger, metrics } from '#adapters/powertools';
import { OVERDUE_FEEDBACK_METRIC } from './feedback.ts';
import { runListClock } from './lists.ts';

/** Overdue feedback counted per run, at most (the metric saturates there; the list API pages the rest). */
const OVERDUE_COUNT_LIMIT = 1000;

export const handler = lambdaHandler(async (): Promise<{ moved: number; overdueFeedback: number }> => {
  const now = new Date().toISOString();
  // the small sections: the clock reads the items of each due entry's records by key (lists.ts)
  const published = await currentCatalog({ items: [] });
  const { moved } = published ? await runListClock(published.catalog, published.index, now) : { moved: 0 };
  const overdue = await overdueFeedback(now, OVERDUE_COUNT_LIMIT);
  if (moved || overdue.length) logger.info('joint list clock', { moved, overdueFeedback: overdue.length });
  metrics.addMetric(OVERDUE_FEEDBACK_METRIC, 'Count', overdue.length);
  return { moved, overdueFeedback: overdue.length };
});
