/**
 * The header row of an uploaded file mapped to field keys: a header cell is a field key or its
 * Chinese label (any width, spacing or case), and unknown, duplicate and missing columns are row-1
 * errors (docs/api.md, Upload files).
 */
import type { InfoItem } from './catalog.ts';
import { HEADER_ROW, itemLabels, rowMessageZh, show, type RowError } from './row-errors.ts';
import { LEGAL_CODE_COLUMNS, SUBJECT_COLUMNS } from './subject-columns.ts';
import { normalizeCell } from './text.ts';

/** Header comparison form: normalised, no whitespace, lower-case ('罚款金额 (万元)' ≡ '罚款金额（万元）'). */
function headerForm(s: string): string {
  return normalizeCell(s.replace(/^\uFEFF/, ''))
    .replace(/\s+/g, '')
    .toLowerCase();
}

const headerLookups = new WeakMap<InfoItem, Map<string, string>>();

function headerLookup(item: InfoItem): Map<string, string> {
  let m = headerLookups.get(item);
  if (m === undefined) {
    m = new Map();
    for (const c of SUBJECT_COLUMNS) {
      m.set(headerForm(c.key), c.key);
      m.set(headerForm(c.label), c.key);
    }
    for (const f of item.fields) {
      m.set(headerForm(f.key), f.key);
      m.set(headerForm(f.label), f.key);
    }
    headerLookups.set(item, m);
  }
  return m;
}

/**
 * Map a file's header cells to canonical keys (`keys[i]` for input column i). Errors are
 * reported on row 1: unknown and duplicate columns, and columns the item cannot do without.
 */
export function mapHeader(item: InfoItem, header: string[]): { ok: true; keys: string[] } | { ok: false; errors: RowError[] } {
  const lookup = headerLookup(item);
  const label = itemLabels(item);
  const errors: RowError[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  header.forEach((cell, i) => {
    const key = lookup.get(headerForm(cell));
    if (key === undefined) {
      const shown = normalizeCell(cell.replace(/^\uFEFF/, ''));
      errors.push({
        row: HEADER_ROW,
        field: shown || null,
        code: 'UNKNOWN_COLUMN',
        message:
          shown === '' ? `column ${i + 1} has an empty header` : `column ${i + 1} ${show(shown)} is not a field of ${item.code} nor a standard subject column`,
        messageZh:
          shown === ''
            ? rowMessageZh(HEADER_ROW, null, `第 ${i + 1} 列的表头为空`)
            : rowMessageZh(HEADER_ROW, shown, `第 ${i + 1} 列不是「${item.name}」的字段，也不是标准主体列`),
      });
      keys.push('');
      return;
    }
    if (seen.has(key)) {
      errors.push({
        row: HEADER_ROW,
        field: key,
        code: 'DUPLICATE_COLUMN',
        message: `column ${i + 1} is a second ${key} column`,
        messageZh: rowMessageZh(HEADER_ROW, label(key), `第 ${i + 1} 列与前面的列重复`),
      });
    }
    seen.add(key);
    keys.push(key);
  });

  const missing = (key: string, why: string, whyZh: string) =>
    errors.push({
      row: HEADER_ROW,
      field: key,
      code: 'MISSING_COLUMN',
      message: `column ${key} is missing: ${why}`,
      messageZh: rowMessageZh(HEADER_ROW, label(key), `缺少此列：${whyZh}`),
    });
  if (!seen.has('partyName')) missing('partyName', 'every row names its subject', '每行须写明主体名称');
  if (!seen.has('partyType')) missing('partyType', 'every row names its subject type', '每行须写明主体类别');
  if (item.subjectType === 'LEGAL' && !LEGAL_CODE_COLUMNS.some((c) => seen.has(c))) {
    missing(
      'partyUscc',
      `a legal subject is identified by partyUscc (or ${LEGAL_CODE_COLUMNS.slice(1).join(', ')})`,
      `法人主体以统一社会信用代码（或${LEGAL_CODE_COLUMNS.slice(1)
        .map((c) => `「${label(c)}」`)
        .join('、')}）识别`,
    );
  }
  if (item.subjectType === 'NATURAL' && !seen.has('personIdNo'))
    missing('personIdNo', 'a natural person is identified by the ID number', '自然人以证件号码识别');
  for (const f of item.fields) {
    if ((f.required || f.key === item.keyField) && !seen.has(f.key)) {
      missing(f.key, `${f.required ? 'a required field' : 'the record key'} of ${item.code}`, `它是「${item.name}」的${f.required ? '必填字段' : '记录主键'}`);
    }
  }
  if (!item.fields.some((f) => f.key === item.keyField) && !seen.has(item.keyField) && !errors.some((e) => e.field === item.keyField)) {
    missing(item.keyField, `the record key of ${item.code}`, `它是「${item.name}」的记录主键`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, keys };
}
