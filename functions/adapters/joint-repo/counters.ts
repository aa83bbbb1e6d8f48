/** 联合奖惩 statistics counters (core/joint-stats): the JOINT stream of the stats table. */
import type { JointIncrement } from '#core/joint-stats';
import { addCounts, type Stream } from '../stats-repo.ts';

/** One row per month × key in the stats table. */
export const JOINT: Stream = { name: 'JOINT', granularity: 'month' };

export async function countJoint(incs: readonly JointIncrement[]): Promise<void> {
  for (const inc of incs) await addCounts(JOINT, inc);
}
