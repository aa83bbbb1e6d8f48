/**
 * GET /v1/subjects/legal/{uscc} and GET /v1/subjects/natural/{idNumber}: a subject's credit file
 * for every role, under the access rules (core/access-rules), every query logged
 * (query params: purpose, authorization = an authorisation ref, ref = the caller's business reference);
 * POST /v1/subject-refs: the opaque reference a subject user's token carries (admin).
 */
import { httpHandler } from '#adapters/http';
import { queryCreditFile } from './credit-file.ts';
import { issueSubjectRef } from './subject-refs.ts';

export const handler = httpHandler({
  'GET /v1/subjects/legal/{uscc}': (req) => queryCreditFile(req, 'LEGAL'),
  'GET /v1/subjects/natural/{idNumber}': (req) => queryCreditFile(req, 'NATURAL'),
  'POST /v1/subject-refs': issueSubjectRef,
});
