/** The catalog and units API's request schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { PROVIDER_KINDS } from '#core/catalog';
import { SHANGHAI_DISTRICTS, UNIT_LEVELS, unitBodySchema } from '#core/units';

export const UnitBody = unitBodySchema;

export const UnitsQuery = z.strictObject({
  kind: z.enum(PROVIDER_KINDS).optional(),
  level: z.enum(UNIT_LEVELS).optional(),
  district: z.enum(SHANGHAI_DISTRICTS).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('Units read per page (default 100); a filtered page may hold fewer'),
  cursor: z.string().min(1).max(200).optional().describe('`next` of the previous page'),
});
