/** Writes docs/openapi.json from functions/query/openapi.ts (`npm run openapi`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi } from '../functions/query/openapi.ts';

export const OPENAPI_PATH = join(import.meta.dirname, '../docs/openapi.json');

writeFileSync(OPENAPI_PATH, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`wrote ${OPENAPI_PATH}`);
