/**
 * POST /v1/subject-refs (admin): the opaque reference a `subject` user's token carries in place of
 * its identifier (core/claims.ts). An administrator provisioning a user sends the identifier once
 * and stores the answer's `ref` as the user's `custom:subject_ref` attribute; the identifier itself
 * is neither stored nor logged here.
 */
import { DomainError } from '#core/errors';
import { body, json, requireRole, type HttpRequest } from '#adapters/http';
import type { Reply } from '../api-routes.ts';
import { logger } from '#adapters/powertools';
import { resolveSubject, subjectRefOf } from '#adapters/subject-identity';
import { SubjectRefRequest } from './schemas.ts';

export async function issueSubjectRef(req: HttpRequest): Promise<Reply<'POST /v1/subject-refs'>> {
  requireRole(req, 'admin');
  const input = body(req, SubjectRefRequest);
  const subject = await resolveSubject(input.type, input.id);
  if (!subject.ok) throw new DomainError('invalid', 'INVALID_IDENTIFIER', `'${subject.label}' is ${subject.message}`);
  const ref = await subjectRefOf(subject.type, subject.id);
  logger.info('subject reference issued', { subjectType: subject.type });
  return json(201, { type: subject.type, label: subject.label, ref, attribute: 'custom:subject_ref' });
}
