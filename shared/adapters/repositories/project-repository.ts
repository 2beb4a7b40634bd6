import type { Change, Page, PageRequest, ProjectRepository, Versioned } from '../../cases/ports.ts';
import { projectNotFound, type Project } from '../../cases/project.ts';
import { badCursor } from '../cursor.ts';
import { entityOf, itemOf, put, type Item, type Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK = 'META';
/** Projects are indexed by district, by creation instant: the projects a district branch sees. */
const districtPk = (district: string) => `PROJECTS#${district}`;

export class TableProjectRepository implements ProjectRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(projectId: string): Promise<Versioned<Project>> {
    const item = await this.#table.get(casePk(projectId), SK);
    if (!item) throw projectNotFound(projectId);
    return entityOf<Project>(item);
  }

  create(project: Project): Change {
    const index = { gsi1pk: districtPk(project.district), gsi1sk: project.createdAt };
    return put('project', itemOf({ pk: casePk(project.id), sk: SK }, 'project', project, index), 'absent');
  }

  /**
   * A merge of the districts' index partitions, newest first: each district is read from where the
   * cursor left it (up to `limit` each), the newest `limit` are kept, and each district's position
   * moves past exactly what it gave — a district that gave part of its page is read again up to
   * that many, for the table's cursor after them. The cursor is one position per district, each
   * signed by the table for its own partition.
   */
  async pageInDistricts(districts: readonly string[], page: PageRequest): Promise<Page<Project>> {
    const from: Position[] = page.cursor ? openPositions(page.cursor, districts.length) : districts.map(() => START);
    const read = await Promise.all(
      districts.map(async (district, i): Promise<{ items: Item[]; next: Position }> => {
        const position = from[i]!;
        if (position === END) return { items: [], next: END };
        const found = await this.#table.pageIndex(districtPk(district), { limit: page.limit, cursor: tableCursor(position) });
        return { items: found.items, next: found.cursor ?? END };
      }),
    );
    // Stable: each district's own order is kept among equal instants, so what a district gives is a prefix of its page.
    const newest = read
      .flatMap(({ items }, district) => items.map((item) => ({ item, district })))
      .sort((a, b) => newerFirst(String(a.item.gsi1sk), String(b.item.gsi1sk)))
      .slice(0, page.limit);
    const next = await Promise.all(
      districts.map(async (district, i): Promise<Position> => {
        const given = newest.filter((n) => n.district === i).length;
        const position = from[i]!;
        if (given === read[i]!.items.length) return read[i]!.next;
        if (given === 0 || position === END) return position;
        const upTo = await this.#table.pageIndex(districtPk(district), { limit: given, cursor: tableCursor(position) });
        if (!upTo.cursor) throw new Error(`the index of ${district} gave no cursor after ${given} of ${read[i]!.items.length} projects`);
        return upTo.cursor;
      }),
    );
    const items = newest.map(({ item }) => {
      const { version: _version, ...project } = entityOf<Project>(item);
      return project;
    });
    return { items, ...(next.every((p) => p === END) ? {} : { cursor: sealPositions(next) }) };
  }
}

const newerFirst = (a: string, b: string) => (a === b ? 0 : a > b ? -1 : 1);

/** Where a district's reading stands: not begun, finished, or after the table's cursor. */
const START: unique symbol = Symbol('not begun');
const END: unique symbol = Symbol('finished');
type Position = typeof START | typeof END | string;

const tableCursor = (position: typeof START | string) => (position === START ? undefined : position);

// One token per district, joined by `.` (which base64url never holds): `n` not begun, `e` finished,
// `c` + the table's cursor in base64url. Every token fits the API's cursor alphabet.
function sealPositions(positions: readonly Position[]): string {
  return positions.map((p) => (p === START ? 'n' : p === END ? 'e' : `c${Buffer.from(p).toString('base64url')}`)).join('.');
}

/** What the table's cursors are made of (the API's own cursor alphabet). */
const TABLE_CURSOR = /^[A-Za-z0-9_.-]{1,2048}$/;

function openPositions(cursor: string, districts: number): Position[] {
  const tokens = cursor.split('.');
  // A cursor of a caller who sees other districts does not continue this caller's list.
  if (tokens.length !== districts) throw badCursor();
  return tokens.map((token): Position => {
    if (token === 'n') return START;
    if (token === 'e') return END;
    const encoded = token.slice(1);
    const decoded = Buffer.from(encoded, 'base64url').toString();
    // Canonical base64url only (a stray character would otherwise decode to the same cursor).
    if (token[0] !== 'c' || !TABLE_CURSOR.test(decoded) || Buffer.from(decoded).toString('base64url') !== encoded) throw badCursor();
    // The table opens (and checks the signature of) the cursor itself when it is used.
    return decoded;
  });
}
