/**
 * What other contexts may use of ingest (besides its schemas.ts): linking held records (未关联)
 * once their subject is known, which the nightly housekeeping also runs.
 */
export { releaseHeld } from './release-held.ts';
