import type { Page, PageRequest } from '../../../shared/cases/ports.ts';

/**
 * Index reads one request may make while it filters a partition (an agency's live deadlines or
 * alerts, every jurisdiction) down to the caller's jurisdiction. A caller whose jurisdiction holds
 * few of them gets a short page with a cursor rather than a request that reads the whole partition.
 */
export const MAX_INDEX_READS = 5;

/**
 * A page of the items `keep` admits, read a partition page at a time. Each read asks for no more
 * than the page still lacks, so the partition's cursor after it is where this page ends: nothing
 * read is skipped. `ended` marks the first item past the end of the list (an ordered partition
 * read down to a bound): it and all after it are left out, and no cursor is given.
 */
export async function filteredPage<T>(
  read: (page: PageRequest) => Promise<Page<T>>,
  keep: (item: T) => boolean,
  page: PageRequest,
  ended: (item: T) => boolean = () => false,
): Promise<Page<T>> {
  const items: T[] = [];
  let cursor = page.cursor;
  for (let reads = 0; reads < MAX_INDEX_READS && items.length < page.limit; reads++) {
    const found = await read({ limit: page.limit - items.length, cursor });
    for (const item of found.items) {
      if (ended(item)) return { items };
      if (keep(item)) items.push(item);
    }
    cursor = found.cursor;
    if (!cursor) return { items };
  }
  return { items, ...(cursor ? { cursor } : {}) };
}
