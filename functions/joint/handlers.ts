/** What the joint handlers share: the published catalog's small sections, the feedback period. */
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import { DomainError } from '#core/errors';
export { feedbackWorkingDays } from './check.ts';

/**
 * The published catalog's small sections (applications, behaviours, measures, lists) with no item:
 * the joint paths read the items of the records they meet by key (subject-state.ts withItemsOf).
 */
export async function published(): Promise<PublishedCatalog> {
  const p = await currentCatalog({ items: [] });
  if (!p) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return p;
}
