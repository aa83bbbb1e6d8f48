/**
 * The catalog routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import { ROLES } from '#core/claims';
import type { RouteDoc } from '../route-doc.ts';
import { CatalogItemsQuery, UnitsQuery } from './schemas.ts';

const ALL = ROLES;

export const CATALOG_ROUTES = {
  'PUT /v1/catalog': {
    summary: 'Publish a new catalog version',
    roles: ['admin'],
    status: 201,
    returns: 'The published version',
    body: 'Catalog',
    response: 'CatalogPublished',
  },
  'GET /v1/catalog': {
    summary: 'The current catalog',
    roles: ALL,
    status: 200,
    returns:
      'The version and counts per section; the document inline (`catalog`) for a catalog of up to 1,000 items, otherwise `snapshotUrl`, a presigned URL of the gzipped document (the shape PUT /v1/catalog takes)',
    response: 'CurrentCatalog',
  },
  'GET /v1/catalog/versions': {
    summary: 'Every published catalog version',
    roles: ALL,
    status: 200,
    returns: 'The versions, newest first',
    response: 'CatalogVersions',
  },
  'GET /v1/catalog/items': {
    summary: 'Published catalog items, one page at a time',
    roles: ALL,
    status: 200,
    returns:
      '`items` in code order (as in the catalog document) and a paging cursor `next` (null on the last page); a filtered page may hold fewer than `limit`',
    query: CatalogItemsQuery,
    response: 'CatalogItemPage',
  },
  'GET /v1/catalog/items/{code}': {
    summary: 'One published catalog item',
    roles: ALL,
    status: 200,
    returns: 'The item as in the catalog document',
    response: 'CatalogItem',
  },
  'POST /v1/catalog/imports': {
    summary: 'Start a bulk catalog import',
    roles: ['admin'],
    status: 201,
    returns:
      '`importId` and `uploadUrl`, a presigned URL to PUT the whole document to (the catalog JSON of PUT /v1/catalog, optionally gzip-compressed); its arrival starts the import',
    response: 'CatalogImportStarted',
  },
  'GET /v1/catalog/imports/{importId}': {
    summary: 'A bulk catalog import',
    roles: ['admin'],
    status: 200,
    returns:
      '`status` RECEIVED | VALIDATING | PUBLISHED | REJECTED | FAILED (`reason`: its message failed every attempt), `version`, `items`, `providers`, `problems` [{path, code, message}] (the first 1,000; `problemCount` all, `problemsUrl` the whole list when longer)',
    response: 'CatalogImport',
  },
  'GET /v1/units': {
    summary: 'The units register: providers, government query units, credit agencies, service windows',
    roles: ALL,
    status: 200,
    returns: 'Units in code order and a paging cursor `next` (null on the last page)',
    query: UnitsQuery,
    response: 'UnitList',
  },
  'PUT /v1/units/{code}': {
    summary: 'Register or update a unit (name, USCC, kind, level, district, roles)',
    roles: ['admin'],
    status: 200,
    returns: 'The unit as stored',
    body: 'Unit',
    response: 'Unit',
  },
} as const satisfies Record<string, RouteDoc>;
