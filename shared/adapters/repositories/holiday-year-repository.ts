import type { Change } from '../../cases/ports.ts';
import { parseHolidayYears, type HolidayYear, type HolidayYearRepository, type StoredHolidayYear } from '../../calendar/index.ts';
import { itemOf, put, type Item, type Table } from '../table.ts';

const PK = 'CALENDAR';
const SK_PREFIX = 'YEAR#';

/** Operators' holiday years, in the cases table beside the cases. */
export class TableHolidayYearRepository implements HolidayYearRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async list(): Promise<StoredHolidayYear[]> {
    const items = await this.#table.query(PK, SK_PREFIX);
    const years = parseHolidayYears(items.map(yearOf), 'operator overrides');
    return years.map((year, i) => ({ ...year, version: items[i]!.version ?? 0 }));
  }

  async find(year: number): Promise<StoredHolidayYear | undefined> {
    const item = await this.#table.get(PK, `${SK_PREFIX}${year}`);
    if (!item) return undefined;
    const [parsed] = parseHolidayYears([yearOf(item)], 'operator overrides');
    return { ...parsed!, version: item.version ?? 0 };
  }

  save(year: HolidayYear, expected: 'absent' | number): Change {
    return put('holiday-year', itemOf({ pk: PK, sk: `${SK_PREFIX}${year.year}` }, 'holiday-year', year), expected);
  }
}

function yearOf(item: Item): unknown {
  const { pk: _pk, sk: _sk, type: _type, version: _version, ...year } = item;
  return year;
}
