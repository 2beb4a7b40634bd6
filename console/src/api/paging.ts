/** A page of a list the API hands out with a cursor. */
export interface CursorPage<T> {
  items: T[];
  cursor?: string;
}

/**
 * Reads on with the API's cursor until `want` items are held or the list ends, in at most
 * `maxReads` calls. A page the server filtered (an agency's partition narrowed to the caller's
 * township) may be short, even empty, without being the last: a short page is not "nothing more".
 */
export async function readUpTo<T>(read: (cursor: string | undefined) => Promise<CursorPage<T>>, want: number, maxReads = 10): Promise<CursorPage<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let reads = 0; reads < maxReads; reads++) {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.cursor;
    if (!cursor || items.length >= want) break;
  }
  return { items, ...(cursor ? { cursor } : {}) };
}
