/** The (table, shard) lanes of the change index a run works through. */
import { CHANGE_SHARDS } from '#core/change-marker';
import type { SubjectTable } from '../subject-repo.ts';

export const SUBJECT_TABLES: readonly SubjectTable[] = ['legalSubjects', 'naturalSubjects'];
export const SHARDS = Array.from({ length: CHANGE_SHARDS }, (_, i) => i);
