/**
 * GET /v1/subjects/legal/{uscc} and GET /v1/subjects/natural/{idNumber}: a subject's credit file.
 * Natural-person ID numbers are masked in every response.
 */
import { randomUUID } from 'node:crypto';
import { maskIdNumber, validateIdNumber, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { isServable, summarise } from '#core/record-view';
import { currentCatalog } from '#adapters/catalog-repo';
import { HttpError, httpHandler, json, requireRole, type HttpRequest } from '#adapters/http';
import { naturalSubjectKey } from '#adapters/personal-data';
import { logger } from '#adapters/powertools';
import { subjectPartition, type StoredRecord } from '#adapters/subject-repo';

async function creditFile(req: HttpRequest, type: 'LEGAL' | 'NATURAL') {
  const caller = requireRole(req, 'admin');
  const raw = type === 'LEGAL' ? req.path.uscc! : req.path.idNumber!;
  const check = type === 'LEGAL' ? validateUscc(decodeURIComponent(raw), ISSUED_INVALID_USCC) : validateIdNumber(decodeURIComponent(raw));
  if (!check.ok) {
    throw new HttpError(400, 'INVALID_IDENTIFIER', `'${type === 'NATURAL' ? '(ID number)' : raw}' is not a valid ${type === 'LEGAL' ? 'USCC' : 'resident ID number'}: ${check.errors.map((e) => e.message).join('; ')}`);
  }
  const id = check.normalized;
  const pk = type === 'LEGAL' ? id : await naturalSubjectKey(id);
  const { registration, records } = await subjectPartition(type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', pk);
  const queryId = randomUUID();
  const found = Boolean(registration) || records.length > 0;
  logger.info('credit file read', { queryId, role: caller.role, unit: caller.unit, subjectType: type, found });
  if (!found) throw new HttpError(404, 'SUBJECT_NOT_FOUND', `no ${type === 'LEGAL' ? 'legal' : 'natural'} subject with that identifier has any record`);

  const published = await currentCatalog();
  const today = new Date().toISOString().slice(0, 10);
  const served = records.filter((r) => isServable(r, published?.index.item(r.item), today));
  return json(200, {
    subject: {
      type,
      id: type === 'LEGAL' ? id : maskIdNumber(id),
      name: registration?.name ?? latestName(records),
      ...(type === 'LEGAL' ? { registered: Boolean(registration) } : {}),
      ...(registration?.regNo ? { regNo: registration.regNo } : {}),
      ...(registration?.orgCode ? { orgCode: registration.orgCode } : {}),
    },
    records: served.map((r) => view(r, published?.index.item(r.item)?.name)),
    summary: summarise(served),
    queryId,
  });
}

/** Without a registration, the name the most recent record gives. */
function latestName(records: StoredRecord[]): string {
  const own = records.filter((r) => !r.via);
  return [...(own.length ? own : records)].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0]?.subjectName ?? '';
}

function view(r: StoredRecord, itemName: string | undefined) {
  return {
    recordId: r.recordId,
    item: r.item,
    itemName: itemName ?? r.item,
    recordClass: r.recordClass,
    polarity: r.polarity,
    severity: r.severity ?? null,
    disclosure: r.disclosure,
    provider: r.provider,
    key: r.key,
    fields: r.fields,
    receivedAt: r.receivedAt,
    ...(r.via ? { via: r.via } : {}),
    objection: null,
  };
}

export const handler = httpHandler({
  'GET /v1/subjects/legal/{uscc}': (req) => creditFile(req, 'LEGAL'),
  'GET /v1/subjects/natural/{idNumber}': (req) => creditFile(req, 'NATURAL'),
});
