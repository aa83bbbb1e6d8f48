/**
 * The catalog document's schema (公共信用信息目录, the body of PUT /v1/catalog in docs/api.md): its
 * enumerations, the zod schemas of every section and the types inferred from them. The checks
 * are in catalog-checks.ts, the entry points (parseCatalog, the index, the sections) in catalog.ts.
 */
import { z } from 'zod';
export const PROVIDER_KINDS = [
  'MUNICIPAL_AGENCY',
  'DISTRICT_GOVERNMENT',
  'CENTRAL_UNIT',
  'PEOPLES_ORGANIZATION',
  'JUDICIAL',
  'PUBLIC_UTILITY',
  'SOCIAL_ORGANIZATION',
] as const;
export const SUBJECT_TYPES = ['LEGAL', 'NATURAL'] as const;
// 登记/资质/监管/判决/执行/履约/管理/公益
export const RECORD_CLASSES = ['REGISTRATION', 'QUALIFICATION', 'SUPERVISION', 'JUDGMENT', 'ENFORCEMENT', 'CONTRACT', 'MANAGEMENT', 'PUBLIC_WELFARE'] as const;
export const POLARITIES = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;
export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export const DISCLOSURES = ['PUBLIC', 'GOV_SHARE', 'AUTHORIZED_QUERY'] as const; // 社会公开/政务共享/授权查询
export const PUBLICITY_TYPES = ['PENALTY', 'LICENSING'] as const; // 双公示
export const FIELD_TYPES = ['string', 'text', 'date', 'integer', 'decimal', 'enum', 'set', 'uscc', 'orgCode', 'idNumber', 'regNo'] as const;
export const PURPOSES = ['ADMIN_APPROVAL', 'PENALTY', 'INSPECTION', 'GOV_PROCUREMENT', 'BIDDING', 'HONOURS', 'FUNDING', 'HR_PROMOTION', 'RESIDENCE'] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export type RecordClass = (typeof RECORD_CLASSES)[number];
export type Polarity = (typeof POLARITIES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Disclosure = (typeof DISCLOSURES)[number];
export type Publicity = (typeof PUBLICITY_TYPES)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type Purpose = (typeof PURPOSES)[number];

/** Set values are written `a;b`, `a；b` or `a、b` in a cell, so a value may not contain those. */
export const SET_SEPARATORS = /[;；、]/;

// Codes end up in S3 keys and DynamoDB sort keys (`REC#{provider}#{item}#…`): no '/', '#' or spaces.
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const code = z.string().regex(CODE, 'must be upper-case letters, digits, "-" or "_" (at most 64)');
const text = z.string().trim().min(1, 'must not be empty');

const fieldSchema = z.strictObject({
  key: z.string().regex(FIELD_KEY, 'must be a camelCase identifier (letters, digits, "_")'),
  label: text,
  type: z.enum(FIELD_TYPES),
  required: z.boolean().optional(),
  values: z.array(text).optional(),
  maxLength: z.int().positive().max(100_000).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

const providerSchema = z.strictObject({
  code,
  name: text,
  uscc: z.string(),
  kind: z.enum(PROVIDER_KINDS),
});

export const itemSchema = z.strictObject({
  code,
  name: text,
  description: z.string().optional(),
  provider: code,
  subjectType: z.enum(SUBJECT_TYPES),
  recordClass: z.enum(RECORD_CLASSES),
  polarity: z.enum(POLARITIES),
  severity: z.enum(SEVERITIES).optional(),
  disclosure: z.enum(DISCLOSURES),
  publicity: z.enum(PUBLICITY_TYPES).nullable().optional(),
  queryYears: z.int().positive().max(100).optional(),
  queryPeriodFrom: z.string().optional(),
  keyField: z.string().min(1),
  /** Whether credit repair (信用修复) may hide the record; absent means true — see isRepairable. */
  repairable: z.boolean().optional(),
  legalBasis: z.array(text).optional(),
  fields: z.array(fieldSchema).min(1, 'an item needs at least one field'),
});

const applicationSchema = z.strictObject({
  unit: code,
  purpose: z.enum(PURPOSES),
  items: z.array(code).min(1, 'an application names at least one item'),
});

/**
 * 应用事项 (application matters, issue 16 part 4): a named matter of a government unit in which it
 * uses public credit information — its legal basis, the subject type it concerns, the purpose it is
 * queried under and the items it uses. Fulfilment (落实率) is counted per matter, unit and level.
 */
const matterSchema = z.strictObject({
  code,
  name: text,
  unit: code,
  subjectType: z.enum(SUBJECT_TYPES),
  purpose: z.enum(PURPOSES),
  legalBasis: z.array(text).min(1, 'a matter names its legal basis'),
  items: z.array(code).min(1, 'a matter names at least one item'),
});

// 信用状况良好 eligibility rule set: a subject fails if it has a served record of any listed item.
const ruleSetSchema = z.strictObject({
  code,
  name: text,
  subjectType: z.enum(SUBJECT_TYPES),
  failIfAnyOf: z.array(code).min(1, 'a rule set names at least one item'),
  lookbackYears: z.int().positive().max(100).optional(),
});

// 联合奖惩 (SH-REG-2017 Arts 19–28): the behaviour list, the measures list and the credit lists.
export const BEHAVIOUR_KINDS = ['PUNISHMENT', 'INCENTIVE'] as const;
export const BEHAVIOUR_TIERS = ['NATIONAL', 'MUNICIPAL'] as const;
export const BEHAVIOUR_GRADES = ['SERIOUS', 'GENERAL', 'GOOD'] as const;
export const MEASURE_SIDES = ['INITIATING', 'IMPLEMENTING'] as const;
export const MEASURE_BINDINGS = ['MANDATORY', 'RECOMMENDED'] as const;
export const CREDIT_LIST_KINDS = ['SERIOUS_DISHONESTY', 'RED'] as const;
/** The matters a measure applies in are the query purposes (Art 23). */
export const MATTERS = PURPOSES;

const scalar = z.union([z.string(), z.number()]);
const conditionSchema = z.strictObject({
  field: z.string().min(1),
  in: z.array(z.string()).min(1).optional(),
  eq: scalar.optional(),
  gte: scalar.optional(),
  lte: scalar.optional(),
});

const behaviourSchema = z.strictObject({
  code,
  name: text,
  kind: z.enum(BEHAVIOUR_KINDS),
  tier: z.enum(BEHAVIOUR_TIERS),
  grade: z.enum(BEHAVIOUR_GRADES),
  /** The department that finds the behaviour (a provider or a unit). */
  unit: code,
  basis: text,
  /** Art 26 (特别惩戒): SERIOUS punishment behaviours whose records are never repairable. */
  special: z.boolean().optional(),
  trigger: z.strictObject({
    items: z.array(code).min(1, 'a trigger names at least one item'),
    where: z.array(conditionSchema).optional(),
  }),
});

const measureSchema = z.strictObject({
  code,
  name: text,
  /** The behaviours the measure follows; and/or the credit lists whose LISTED members it binds. */
  behaviours: z.array(code).optional(),
  lists: z.array(code).optional(),
  side: z.enum(MEASURE_SIDES),
  units: z.array(code).min(1, 'a measure names the units that apply it'),
  binding: z.enum(MEASURE_BINDINGS),
  matters: z.array(z.enum(PURPOSES)).min(1, 'a measure applies in at least one matter'),
  basis: text,
  /** Years the measure lasts after the behaviour's record date; absent while the behaviour lasts. */
  years: z.int().positive().max(100).optional(),
  /** Art 27 special measures, only for Art 26 behaviours. */
  special: z.boolean().optional(),
  /** Whether applying units report back (反馈); absent means true. */
  feedback: z.boolean().optional(),
});

const creditListSchema = z.strictObject({
  code,
  name: text,
  kind: z.enum(CREDIT_LIST_KINDS),
  unit: code,
  public: z.boolean(),
  criteria: text,
  remedy: text,
  exit: text,
  entry: z.strictObject({
    /** Entered by rule: a subject showing any of these behaviours. */
    behaviours: z.array(code).optional(),
    /** Entered by the unit's decision, with its basis. */
    byDecision: z.boolean().optional(),
  }),
  noticeWorkingDays: z.int().min(0).max(60),
  years: z.int().positive().max(100),
});

export const catalogSchema = z.strictObject({
  version: text,
  providers: z.array(providerSchema),
  items: z.array(itemSchema),
  applications: z.array(applicationSchema).optional(),
  ruleSets: z.array(ruleSetSchema).optional(),
  matters: z.array(matterSchema).optional(),
  behaviours: z.array(behaviourSchema).optional(),
  measures: z.array(measureSchema).optional(),
  creditLists: z.array(creditListSchema).optional(),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type InfoItem = z.infer<typeof itemSchema>;
export type FieldDef = z.infer<typeof fieldSchema>;
export type Application = z.infer<typeof applicationSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type ApplicationMatter = z.infer<typeof matterSchema>;
export type Behaviour = z.infer<typeof behaviourSchema>;
export type TriggerCondition = z.infer<typeof conditionSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type CreditList = z.infer<typeof creditListSchema>;
export type Matter = Purpose;

export interface CatalogProblem {
  /** JSON path, e.g. "items[3].fields[2].values". */
  path: string;
  /** UPPER_SNAKE, e.g. UNKNOWN_PROVIDER, DUPLICATE_CODE, KEY_FIELD_NOT_FOUND. */
  code: string;
  message: string;
}
