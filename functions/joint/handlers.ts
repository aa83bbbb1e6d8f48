/** The HTTP side shared by the joint handlers: the published catalog, and refusals mapped to statuses. */
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import { HttpError, type HttpResponse } from '#adapters/http';
export { feedbackWorkingDays } from './check.ts';
import { JointError } from './errors.ts';

const STATUS = { invalid: 400, forbidden: 403, notFound: 404, conflict: 409 } as const;

/** Runs a use case; its JointError becomes the HTTP error of its kind. */
export async function answer(run: () => Promise<HttpResponse>): Promise<HttpResponse> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof JointError) throw new HttpError(STATUS[err.kind], err.code, err.message);
    throw err;
  }
}

/**
 * The published catalog's small sections (applications, behaviours, measures, lists) with no item:
 * the joint paths read the items of the records they meet by key (subject-state.ts withItemsOf).
 */
export async function published(): Promise<PublishedCatalog> {
  const p = await currentCatalog({ items: [] });
  if (!p) throw new HttpError(404, 'NO_CATALOG', 'no catalog has been published yet');
  return p;
}
