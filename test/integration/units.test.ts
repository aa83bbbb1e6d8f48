/** The units register (GET /v1/units, PUT /v1/units/{code}, and as published: GET /v1/public/units) on the local emulators. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '#local/seed';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let admin: string;
const units = demoUnits();

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await p.as('admin');
  for (const { code, ...unit } of units) {
    const res = await p.api('PUT', `/v1/units/${code}`, { token: admin, body: unit });
    expect([code, res.status]).toEqual([code, 200]);
  }
});

afterAll(async () => {
  await p?.stop();
});

const codes = (res: { json: any }) => (res.json.units as Array<{ code: string }>).map((u) => u.code);

describe('units register', () => {
  it('lists every unit in code order, with name, level and roles, to any signed-in caller', async () => {
    const res = await p.api('GET', '/v1/units?limit=500', { token: await p.as('gov', 'SH-EPB') });
    expect(res.status).toBe(200);
    expect(codes(res)).toEqual(units.map((u) => u.code).sort());
    expect(res.json.units.find((u: { code: string }) => u.code === 'SH-EPB')).toMatchObject({
      name: '上海市生态环境局',
      level: 'MUNICIPAL',
      kind: 'MUNICIPAL_AGENCY',
      roles: ['GOV_QUERY'],
    });
    expect(res.json.next).toBeNull();
    expect((await p.api('GET', '/v1/units')).status).toBe(401);
  });

  it('filters by level, district and kind', async () => {
    const district = await p.api('GET', '/v1/units?level=DISTRICT', { token: admin });
    expect(codes(district)).toEqual(['PD-AMR', 'XH-SERVICE']);
    expect(codes(await p.api('GET', `/v1/units?district=${encodeURIComponent('浦东新区')}`, { token: admin }))).toEqual(['PD-AMR']);
    expect(codes(await p.api('GET', '/v1/units?kind=CENTRAL_UNIT', { token: admin }))).toEqual(['SH-TAX']);
    const bad = await p.api('GET', '/v1/units?level=COUNTY', { token: admin });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('pages with the cursor it returns, without overlap, and refuses a forged cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 20; n++) {
      const res: { status: number; json: any } = await p.api('GET', `/v1/units?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      expect(res.status).toBe(200);
      seen.push(...codes(res));
      cursor = res.json.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(units.map((u) => u.code).sort());
    const forged = await p.api('GET', `/v1/units?cursor=${Buffer.from('a b#').toString('base64url')}`, { token: admin });
    expect([forged.status, forged.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('updates a unit in place; refuses bad input with every problem, and non-admins', async () => {
    const { code: _code, ...amr } = units.find((u) => u.code === 'SH-AMR')!;
    const renamed = await p.api('PUT', '/v1/units/SH-AMR', { token: admin, body: { ...amr, name: '上海市市场监督管理局（更名）' } });
    expect(renamed.status).toBe(200);
    const listed = await p.api('GET', '/v1/units?kind=MUNICIPAL_AGENCY&limit=500', { token: admin });
    expect(listed.json.units.filter((u: { code: string }) => u.code === 'SH-AMR')).toMatchObject([{ name: '上海市市场监督管理局（更名）' }]);

    const bad = await p.api('PUT', '/v1/units/NEW-UNIT', { token: admin, body: { ...amr, uscc: '91310000631696382D', level: 'DISTRICT' } });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((bad.json.error.details as Array<{ path: string; message: string }>).map((d) => d.path).sort()).toEqual(['body.district', 'body.uscc']);
    const badCode = await p.api('PUT', '/v1/units/bad%20code', { token: admin, body: amr });
    expect([badCode.status, badCode.json.error.code]).toEqual([400, 'INVALID_UNIT_CODE']);
    const provider = await p.api('PUT', '/v1/units/SH-AMR', { token: await p.as('provider', 'SH-AMR'), body: amr });
    expect(provider.status).toBe(403);
  });

  it('publishes who each unit is without a token: code, name, kind, level and district, never its USCC or roles', async () => {
    const seen: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    for (let n = 0; n < 20; n++) {
      const res: { status: number; json: any } = await p.api('GET', `/v1/public/units?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.units.length).toBeLessThanOrEqual(4);
      seen.push(...res.json.units);
      cursor = res.json.next;
      if (!cursor) break;
    }
    expect(seen.map((u) => u.code)).toEqual(units.map((u) => u.code).sort());
    for (const u of seen)
      expect(
        Object.keys(u).every((k) => ['code', 'name', 'kind', 'level', 'district'].includes(k)),
        JSON.stringify(u),
      ).toBe(true);
    expect(seen.find((u) => u.code === 'PD-AMR')).toEqual({
      code: 'PD-AMR',
      name: units.find((u) => u.code === 'PD-AMR')!.name,
      kind: expect.any(String),
      level: 'DISTRICT',
      district: '浦东新区',
    });
    const district = await p.api('GET', `/v1/public/units?district=${encodeURIComponent('浦东新区')}`);
    expect(codes(district)).toEqual(['PD-AMR']);
    const forged = await p.api('GET', `/v1/public/units?cursor=${Buffer.from('a b#').toString('base64url')}`);
    expect([forged.status, forged.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});
