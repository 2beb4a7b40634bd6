import { describe, expect, it } from 'vitest';
import { type CursorPage, readUpTo } from './paging.ts';

/** A server list of `pages`, each page the items given (a filtered page may be empty). */
function server(pages: number[][]) {
  const asked: Array<string | undefined> = [];
  const read = async (cursor: string | undefined): Promise<CursorPage<number>> => {
    asked.push(cursor);
    const at = cursor === undefined ? 0 : Number(cursor);
    return { items: pages[at]!, ...(at + 1 < pages.length ? { cursor: String(at + 1) } : {}) };
  };
  return { read, asked };
}

describe('readUpTo', () => {
  it('reads past short and empty pages until it holds what it wants', async () => {
    const { read, asked } = server([[], [1], [], [2, 3], [4]]);
    expect(await readUpTo(read, 3)).toEqual({ items: [1, 2, 3], cursor: '4' });
    expect(asked).toEqual([undefined, '1', '2', '3']);
  });

  it('stops at the end of the list, with no cursor', async () => {
    const { read } = server([[1], [], [2]]);
    expect(await readUpTo(read, 10)).toEqual({ items: [1, 2] });
  });

  it('stops after maxReads calls, keeping the cursor to go on from', async () => {
    const { read, asked } = server([[], [], [], [1]]);
    expect(await readUpTo(read, 1, 2)).toEqual({ items: [], cursor: '2' });
    expect(asked).toHaveLength(2);
  });
});
