/**
 * Objections (异议, SH-REG-2017 Art 36), the steps in core/objections:
 *   POST /v1/objections                          (subject; admin for a walk-in applicant) file, mark the record at once
 *   GET  /v1/objections?status=&overdue=true     (admin: all; provider: forwarded to it; subject: its own)
 *   GET  /v1/objections/{objectionId}            one objection, its steps, deadlines and outcome
 *   POST /v1/objections/{objectionId}/remit      (admin) PLATFORM keeps it, PROVIDER forwards it
 *   POST /v1/objections/{objectionId}/decision   (admin on its remit, the provider on a forwarded one) CORRECTED | DELETED | UPHELD
 * Filing and deciding add to the objection statistics (adapters/stats-repo), served by the stats API.
 * Each step is one transaction (adapters/transact): filing writes the objection and the record's
 * mark, remitting the objection and the mark, deciding the objection, the record and the legal
 * representative's copy — all or nothing — and a retried step answers as the first did.
 */
import { body, httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import type { Reply } from '../api-routes.ts';
import { fileObjection } from './objection-filing.ts';
import { decideObjection, listObjections, objectionWithRecord, remitObjection } from './objection-steps.ts';
import { CreateObjection, DecisionBody, ObjectionListQuery, RemitBody } from './schemas.ts';

const objectionId = (req: HttpRequest) => req.path.objectionId ?? '';

async function create(req: HttpRequest): Promise<Reply<'POST /v1/objections'>> {
  const caller = requireRole(req, 'subject', 'admin');
  return json(201, await fileObjection(caller, body(req, CreateObjection)));
}

async function list(req: HttpRequest): Promise<Reply<'GET /v1/objections'>> {
  const caller = requireRole(req, 'admin', 'provider', 'subject');
  return json(200, await listObjections(caller, validate(ObjectionListQuery, req.query, 'query')));
}

async function getOne(req: HttpRequest): Promise<Reply<'GET /v1/objections/{objectionId}'>> {
  const caller = requireRole(req, 'admin', 'provider', 'subject');
  return json(200, await objectionWithRecord(caller, objectionId(req)));
}

async function remit(req: HttpRequest): Promise<Reply<'POST /v1/objections/{objectionId}/remit'>> {
  const caller = requireRole(req, 'admin');
  return json(200, await remitObjection(caller, objectionId(req), body(req, RemitBody)));
}

async function decision(req: HttpRequest): Promise<Reply<'POST /v1/objections/{objectionId}/decision'>> {
  const caller = requireRole(req, 'admin', 'provider');
  return json(200, await decideObjection(caller, objectionId(req), body(req, DecisionBody)));
}

export const handler = httpHandler({
  'POST /v1/objections': create,
  'GET /v1/objections': list,
  'GET /v1/objections/{objectionId}': getOne,
  'POST /v1/objections/{objectionId}/remit': remit,
  'POST /v1/objections/{objectionId}/decision': decision,
});
