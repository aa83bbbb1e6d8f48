import { describe, expect, it } from 'vitest';
import { levelFigures, unitBodySchema, type UnitLevel } from '#core/units';

const units = new Map<string, { level: UnitLevel }>([
  ['SH-AMR', { level: 'MUNICIPAL' }],
  ['PD-AMR', { level: 'DISTRICT' }],
  ['SH-TAX', { level: 'CENTRAL' }],
]);

describe('levelFigures: the municipal / district split', () => {
  it('counts items by provider level, queries and fulfilment by unit level; unknown units count as OTHER', () => {
    const rows = levelFigures(units, {
      items: [{ provider: 'SH-AMR' }, { provider: 'SH-AMR' }, { provider: 'PD-AMR' }, { provider: 'NOT-REGISTERED' }],
      queriesByUnit: [
        { key: 'SH-AMR', queries: 5 },
        { key: 'PD-AMR', queries: 3 },
        { key: 'SH-X', queries: 1 },
      ],
      applicationsByUnit: [
        { unit: 'PD-AMR', declared: 4, fulfilled: 1 },
        { unit: 'SH-AMR', declared: 2, fulfilled: 2 },
      ],
    });
    expect(rows).toEqual([
      { level: 'MUNICIPAL', items: 2, queries: 5, declared: 2, fulfilled: 2, rate: 1 },
      { level: 'DISTRICT', items: 1, queries: 3, declared: 4, fulfilled: 1, rate: 0.25 },
      { level: 'CENTRAL', items: 0, queries: 0, declared: 0, fulfilled: 0, rate: null },
      { level: 'OTHER', items: 1, queries: 1, declared: 0, fulfilled: 0, rate: null },
    ]);
  });
});

describe('unit body', () => {
  const ok = {
    name: '上海市浦东新区市场监督管理局',
    uscc: '11310000MB2F300040',
    kind: 'DISTRICT_GOVERNMENT',
    level: 'DISTRICT',
    district: '浦东新区',
    roles: ['PROVIDER'],
  };
  it('accepts a district unit with its district, and refuses a district on a municipal unit or none on a district one', () => {
    expect(unitBodySchema.safeParse(ok).success).toBe(true);
    const paths = (v: unknown) => (unitBodySchema.safeParse(v).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(paths({ ...ok, district: undefined })).toEqual(['district']);
    expect(paths({ ...ok, level: 'MUNICIPAL' })).toEqual(['district']);
    expect(paths({ ...ok, district: '上海县' })).toEqual(['district']);
    expect(paths({ ...ok, roles: [] })).toEqual(['roles']);
    expect(paths({ ...ok, roles: ['PROVIDER', 'PROVIDER'] })).toEqual(['roles']);
    expect(paths({ ...ok, uscc: '11310000MB2F300041' })).toEqual(['uscc']);
  });
});
