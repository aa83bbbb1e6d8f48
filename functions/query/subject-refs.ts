/**
 * POST /v1/subject-refs (admin): the opaque reference a `subject` user's token carries in place of
 * its identifier (core/claims.ts). An administrator provisioning a user sends the identifier once
 * and stores the answer's `ref` as the user's `custom:subject_ref` attribute; the identifier itself
 * is neither stored nor logged here.
 */
import { HttpError, body, json, requireRole, type HttpRequest, type HttpResponse } from '#adapters/http';
import { logger } from '#adapters/powertools';
import { resolveSubject, subjectRefOf } from '#adapters/subject-identity';
import { SubjectRefRequest } from './schemas.ts';

export async function issueSubjectRef(req: HttpRequest): Promise<HttpResponse> {
  requireRole(req, 'admin');
  const input = body(req, SubjectRefRequest);
  const subject = await resolveSubject(input.type, input.id);
  if (!subject.ok) throw new HttpError(400, 'INVALID_IDENTIFIER', `'${subject.label}' is ${subject.message}`);
  const ref = await subjectRefOf(subject.type, subject.id);
  logger.info('subject reference issued', { subjectType: subject.type });
  return json(201, { type: subject.type, label: subject.label, ref, attribute: 'custom:subject_ref' });
}
