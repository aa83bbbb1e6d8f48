/**
 * The units register (单位库): every unit the platform deals with — providers, government query
 * units, credit agencies, service windows — with its name, USCC, kind (the catalog's provider
 * kinds), level and district, and the roles it may take. Statistics and reports show a unit's name
 * and split municipal from district figures by it. Pure: no I/O.
 */
import { z } from 'zod';
import { PROVIDER_KINDS } from './catalog.ts';
import { validateUscc } from './identifiers.ts';
import { MAX_DAILY_QUERY_BUDGET } from './query-budget.ts';

export const UNIT_LEVELS = ['MUNICIPAL', 'DISTRICT', 'CENTRAL', 'OTHER'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** The 16 districts of Shanghai (上海市辖区). */
export const SHANGHAI_DISTRICTS = [
  '黄浦区',
  '徐汇区',
  '长宁区',
  '静安区',
  '普陀区',
  '虹口区',
  '杨浦区',
  '闵行区',
  '宝山区',
  '嘉定区',
  '浦东新区',
  '金山区',
  '松江区',
  '青浦区',
  '奉贤区',
  '崇明区',
] as const;

/** 数据提供 / 政务查询 / 征信机构 / 服务窗口 */
export const UNIT_ROLES = ['PROVIDER', 'GOV_QUERY', 'CREDIT_AGENCY', 'SERVICE_WINDOW'] as const;

export const UNIT_CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;

/** The body of PUT /v1/units/{code}; the code comes from the path. */
export const unitBodySchema = z
  .strictObject({
    name: z.string().trim().min(1, '单位名称不能为空').max(200),
    uscc: z.string().refine((v) => validateUscc(v).ok, '统一社会信用代码无效'),
    kind: z.enum(PROVIDER_KINDS),
    level: z.enum(UNIT_LEVELS),
    district: z.enum(SHANGHAI_DISTRICTS).optional(),
    roles: z
      .array(z.enum(UNIT_ROLES))
      .min(1, '至少一个角色')
      .refine((r) => new Set(r).size === r.length, '角色不能重复'),
    /** Subjects the unit may query a China day (core/query-budget.ts); absent: the default there. */
    dailyQueryBudget: z
      .number()
      .int('每日查询限额须为整数')
      .min(1, '每日查询限额至少为 1')
      .max(MAX_DAILY_QUERY_BUDGET, `每日查询限额至多 ${MAX_DAILY_QUERY_BUDGET}`)
      .optional(),
  })
  .superRefine((u, ctx) => {
    if (u.level === 'DISTRICT' && !u.district) ctx.addIssue({ code: 'custom', path: ['district'], message: '区级单位须注明所属区' });
    if (u.level !== 'DISTRICT' && u.district) ctx.addIssue({ code: 'custom', path: ['district'], message: '只有区级单位注明所属区' });
  });

export type UnitBody = z.infer<typeof unitBodySchema>;

export interface Unit extends UnitBody {
  code: string;
  updatedAt: string;
  updatedBy: string;
}

/** The level a figure is counted under; a code not in the register counts as OTHER. */
export const levelOf = (units: ReadonlyMap<string, Pick<Unit, 'level'>>, code: string): UnitLevel => units.get(code)?.level ?? 'OTHER';

/** The name shown for a unit: its registered name, or its code when it is not in the register. */
export const nameOf = (units: ReadonlyMap<string, Pick<Unit, 'name'>>, code: string): string => units.get(code)?.name ?? code;

/** 市级 / 区级 / 中央在沪 / 其他 */
export const UNIT_LEVEL_NAMES: Record<UnitLevel, string> = { MUNICIPAL: '市级', DISTRICT: '区级', CENTRAL: '中央在沪', OTHER: '其他' };

export interface LevelFigures {
  level: UnitLevel;
  /** Catalog items of providers at this level. */
  items: number;
  /** Credit queries by units at this level. */
  queries: number;
  /** Application-list entries declared and fulfilled by units at this level. */
  declared: number;
  fulfilled: number;
  rate: number | null;
}

/**
 * The municipal / district split of the annual report: items per provider level, query volume per
 * querying unit's level, application fulfilment per declaring unit's level.
 */
export function levelFigures(
  units: ReadonlyMap<string, Pick<Unit, 'level'>>,
  input: {
    /** Items per provider (`n` absent: one item). */
    items: ReadonlyArray<{ provider: string; n?: number }>;
    queriesByUnit: ReadonlyArray<{ key: string; queries: number }>;
    applicationsByUnit: ReadonlyArray<{ unit: string; declared: number; fulfilled: number }>;
  },
): LevelFigures[] {
  const rows = new Map<UnitLevel, LevelFigures>(UNIT_LEVELS.map((level) => [level, { level, items: 0, queries: 0, declared: 0, fulfilled: 0, rate: null }]));
  for (const i of input.items) rows.get(levelOf(units, i.provider))!.items += i.n ?? 1;
  for (const q of input.queriesByUnit) rows.get(levelOf(units, q.key))!.queries += q.queries;
  for (const a of input.applicationsByUnit) {
    const r = rows.get(levelOf(units, a.unit))!;
    r.declared += a.declared;
    r.fulfilled += a.fulfilled;
  }
  for (const r of rows.values()) r.rate = r.declared ? r.fulfilled / r.declared : null;
  return [...rows.values()];
}
