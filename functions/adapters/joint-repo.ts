/**
 * 联合奖惩 storage (the `joint` table, lib/platform.ts):
 *   list entries  ENTRY#{entryId} / ENTRY
 *                 byDue      DUE / {next due instant}#{entryId}        (sparse: while the clock moves it)
 *                 bySubject  SUBJ#{type}#{key} / {notifiedAt}#{entryId}
 *                 byList     LIST#{code}#{status} / {notifiedAt}#{entryId}
 *   open guard    OPEN#{list}#{type}#{key} / OPEN → entryId   (one open entry per subject and list)
 *                 byNational NAT / {changed at}#{entryId}           (sparse: a state the national platform has not had)
 *                 byNational NAT_REJECTED / …                        (its last send was rejected; sent again on its next change)
 *   checks        CHECK#{checkId} / CHECK
 *   feedback      CHECK#{checkId} / FB#{subject key}#{measure}
 *                 byFeedback FEEDBACK_DUE / {due instant}#{checkId}#…  (sparse: until the feedback arrives)
 *
 * One module per kind of item under adapters/joint-repo/; this module is their public face.
 */
export * from './joint-repo/checks.ts';
export * from './joint-repo/counters.ts';
export * from './joint-repo/entries.ts';
export * from './joint-repo/national.ts';
export * from './joint-repo/rule-entry.ts';
