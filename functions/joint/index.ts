/**
 * What other contexts may use of joint reward and punishment (besides its schemas.ts): the list
 * exits a record's end causes (rights: repair, revocation), and the 联合奖惩 figures and the
 * behaviour list as published (the annual report), and a joint bulk check's answer per subject (checks).
 */
export { behaviourListOf, jointStatsOf } from './joint-stats.ts';
export { exitsOnRecordEnd } from './subject-state.ts';
export { jointFileForReport } from './lists.ts';
export { countBulkPart, entriesOfSubjects, jointLine, openBulkFeedback, type BulkHit, type JointLine } from './bulk.ts';
