/**
 * 联合奖惩 screens, one module per sub-tab: the unit's matter check with its feedback form, the public
 * credit lists, the admin statistics.
 */
export { JointCheckView } from './joint-check-view.tsx';
export { JointListsView } from './joint-lists-view.tsx';
export { JointStatsView } from './joint-stats-view.tsx';
