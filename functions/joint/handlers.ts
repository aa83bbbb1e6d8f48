/** The HTTP side shared by the joint handlers: the published catalog, and refusals mapped to statuses. */
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import type { HttpResponse } from '#adapters/http';
import { DomainError } from '#core/errors';
export { feedbackWorkingDays } from './check.ts';

/** Runs a use case; a refusal is a JointError, a DomainError the HTTP adapter maps to its status. */
export async function answer(run: () => Promise<HttpResponse>): Promise<HttpResponse> {
  return run();
}

/**
 * The published catalog's small sections (applications, behaviours, measures, lists) with no item:
 * the joint paths read the items of the records they meet by key (subject-state.ts withItemsOf).
 */
export async function published(): Promise<PublishedCatalog> {
  const p = await currentCatalog({ items: [] });
  if (!p) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return p;
}
