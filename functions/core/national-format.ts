/**
 * The national exchange format for double-publicity (双公示) records, Version B (docs/domain.md, Double-publicity records):
 * `CF_*` penalty and `XK_*` licence field codes, their enumerations, amounts in 万元 and dates.
 *
 * mapRecord turns a stored record (item fields under the English keys of that format plus the standard
 * subject columns) into Version B fields; validateNational checks a Version B record strictly —
 * the exporter runs it before sending and the local stand-in national platform runs it on receipt.
 * A record that does not map or validate is held back with the problems listed, never sent
 * half-formed.
 *
 * Choices where the sources are silent ([U] in docs/domain.md): dates are written `YYYY/MM/DD` (the
 * only date format the templates state); a multi-valued 处罚类别 is joined with `;`; an
 * open-ended licence leaves 有效期至 empty (Credit China prints "— —" for it).
 */
import {
  ENUM_ALIASES,
  type FieldSpec,
  FIELDS_OF,
  LICENCE_STATUS_VALID,
  type NationalFields,
  type NationalProblem,
  type NationalType,
  PENALTY_CATEGORY_ALIASES,
  SET_SEPARATOR,
  WAN_DECIMALS,
  YUAN_SOURCES,
} from './national-fields.ts';
import { RULES, validateNational } from './national-validate.ts';
import type { LegalSubjectRef, NaturalSubjectRef } from './row-validator.ts';
import { RESIDENT_ID_TYPE } from './subject-columns.ts';

export {
  FIELDS_OF,
  ID_TYPE_ALIASES,
  LICENCE_CATEGORIES,
  LICENCE_CATEGORY_ALIASES,
  LICENCE_STATUS_VALID,
  LICENSING_FIELDS,
  PARTY_TYPE_ALIASES,
  PENALTY_CATEGORIES,
  PENALTY_CATEGORY_ALIASES,
  PENALTY_FIELDS,
  type NationalFields,
  type NationalProblem,
  type NationalType,
} from './national-fields.ts';
export { describeProblems, validateNational } from './national-validate.ts';

/** The standard subject columns of a stored record (what the upload row named the party with). */
export interface PartyColumns {
  partyName?: string;
  partyType?: string;
  partyUscc?: string;
  partyRegNo?: string;
  partyOrgCode?: string;
  partyTaxNo?: string;
  partyInstCertNo?: string;
  partySocOrgCertNo?: string;
  legalRepName?: string;
  legalRepIdType?: string;
  legalRepIdNo?: string;
  personIdType?: string;
  personIdNo?: string;
}

/**
 * The subject columns ingest keeps on a double-publicity record for the national format (the
 * subject's name and ID are kept anyway; ID numbers of natural persons only sealed).
 */
export function storedPartyColumns(subject: LegalSubjectRef | NaturalSubjectRef, legalRep?: { name?: string }): PartyColumns {
  const columns: PartyColumns =
    subject.type === 'NATURAL'
      ? { partyType: '自然人', personIdType: subject.idType }
      : {
          partyType: subject.partyType,
          partyRegNo: subject.regNo,
          partyOrgCode: subject.orgCode,
          partyTaxNo: subject.taxNo,
          partyInstCertNo: subject.instCertNo,
          partySocOrgCertNo: subject.socOrgCertNo,
          legalRepName: legalRep?.name,
        };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined && v !== '')) as PartyColumns;
}

export interface ExportSource {
  type: NationalType;
  /** Item fields (English keys, docs/domain.md, The national exchange format); ID-number fields in plaintext. */
  fields: Record<string, unknown>;
  party: PartyColumns;
  /** 数据来源单位: the provider unit, unless the record names another source unit. */
  sourceUnit: { name: string; uscc: string };
}

// ---------------------------------------------------------------------------------------------
// Mapping

export type MapOutcome = { ok: true; fields: NationalFields } | { ok: false; problems: NationalProblem[] };

function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.length ? v.map(String).join(SET_SEPARATOR) : undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** `2026-11-05` → `2026/11/05`. */
export function nationalDate(iso: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.replaceAll('-', '/') : undefined;
}

/** An amount in 万元 as a plain decimal with at most 6 places (no exponent, no trailing zeros). */
export function wanText(n: number): string {
  const fixed = n.toFixed(WAN_DECIMALS);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function sourceValue(s: ExportSource, key: string): unknown {
  if (key === 'sourceUnitName') return s.fields.sourceUnitName ?? s.sourceUnit.name;
  if (key === 'sourceUnitUscc') return s.fields.sourceUnitUscc ?? s.sourceUnit.uscc;
  return (s.party as Record<string, unknown>)[key] ?? s.fields[key];
}

function mapValue(spec: FieldSpec, raw: unknown, s: ExportSource, problems: NationalProblem[]): string | undefined {
  switch (spec.kind) {
    case 'licenceStatus':
      return LICENCE_STATUS_VALID;
    case 'date': {
      const t = textOf(raw);
      if (t === undefined) return undefined;
      const d = nationalDate(t);
      if (d === undefined) problems.push({ field: spec.code, message: `${spec.source} ${JSON.stringify(t)} is not a YYYY-MM-DD date` });
      return d;
    }
    case 'wan': {
      let n: number | undefined;
      if (raw !== undefined && raw !== null && raw !== '') n = Number(raw);
      else {
        const yuan = s.fields[YUAN_SOURCES[spec.source!]!];
        if (yuan !== undefined && yuan !== null && yuan !== '') n = Number(yuan) / 10_000;
      }
      if (n === undefined) return undefined;
      if (!Number.isFinite(n)) {
        problems.push({ field: spec.code, message: `${spec.source} ${JSON.stringify(raw)} is not a number` });
        return undefined;
      }
      return wanText(n);
    }
    case 'penaltyCategory': {
      const values = Array.isArray(raw) ? raw.map(String) : (textOf(raw)?.split(/[;；、]/) ?? []);
      const mapped = [
        ...new Set(
          values
            .map((v) => v.trim())
            .filter(Boolean)
            .map((v) => PENALTY_CATEGORY_ALIASES[v] ?? v),
        ),
      ];
      return mapped.length ? mapped.join(SET_SEPARATOR) : undefined;
    }
    case 'licenceCategory':
    case 'partyType':
    case 'idType': {
      const t = textOf(raw);
      return t === undefined ? undefined : (ENUM_ALIASES[spec.kind][t] ?? t);
    }
    default:
      return textOf(raw);
  }
}

/**
 * The Version B record for a stored record, validated; or every problem found. A natural person
 * without an explicit 证件类型 holds a resident ID (the upload default).
 */
export function mapRecord(s: ExportSource, opts: { today: string }): MapOutcome {
  const problems: NationalProblem[] = [];
  const out: NationalFields = {};
  for (const spec of FIELDS_OF[s.type]) {
    const raw = spec.source ? sourceValue(s, spec.source) : undefined;
    const v = mapValue(spec, raw, s, problems);
    if (v !== undefined) out[spec.code] = v;
  }
  const rules = RULES[s.type];
  const [personIdType, personIdNo] = rules.personCodes as [string, string];
  if (out[rules.partyType] === '自然人' && out[personIdNo] && !out[personIdType]) out[personIdType] = RESIDENT_ID_TYPE;
  if (out[rules.repIdNo] && !out[rules.repIdType]) out[rules.repIdType] = RESIDENT_ID_TYPE;
  for (const p of validateNational(s.type, out, opts)) problems.push(p);
  return problems.length ? { ok: false, problems } : { ok: true, fields: out };
}
