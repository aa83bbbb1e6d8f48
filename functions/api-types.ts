/**
 * The HTTP API's types, inferred from the zod schemas the handlers validate and answer with
 * (functions/<context>/schemas.ts). Handlers, the CLI (cli/) and the web console (console/src)
 * import them as types only, so a field renamed in a schema breaks every client at compile time.
 */
import type { z } from 'zod';
import type { BatchList, ReceiptView, UploadCompleted, UploadStarted } from './ingest/schemas.ts';
import type { CreditFile } from './query/schemas.ts';
import type { feedbackView, jointCheckResponse, jointStatsView, publicListEntries, publicListsView } from './joint/schemas.ts';

export type Receipt = z.infer<typeof ReceiptView>;
export type BatchStatus = Receipt['status'];
export type ReceiptRowError = Receipt['errors'][number];
export type BatchListResponse = z.infer<typeof BatchList>;
export type UploadStartedResponse = z.infer<typeof UploadStarted>;
export type UploadCompletedResponse = z.infer<typeof UploadCompleted>;
export type CreditFileResponse = z.infer<typeof CreditFile>;
export type CreditFileRecord = CreditFileResponse['records'][number];
export type JointCheckResponse = z.infer<typeof jointCheckResponse>;
export type JointFeedbackResponse = z.infer<typeof feedbackView>;
export type JointStatsResponse = z.infer<typeof jointStatsView>;
export type PublicListsResponse = z.infer<typeof publicListsView>;
export type PublicListEntriesResponse = z.infer<typeof publicListEntries>;
