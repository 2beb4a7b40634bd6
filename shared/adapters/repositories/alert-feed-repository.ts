import type { AgencyId } from '../../agencies.ts';
import type { AlertFeedEntry } from '../../alerts/feed.ts';
import type { AlertFeedRepository, Change, Page, PageRequest } from '../../cases/ports.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

/**
 * Alert feed entries live on their case, one record per addressed agency, each indexed under that
 * agency (`ALERTS#<agency>`) newest first: an agency's alerts list is one partition.
 */
export class TableAlertFeedRepository implements AlertFeedRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  add(entry: AlertFeedEntry): Change[] {
    return entry.agencies.map((agency) => {
      const key = { pk: casePk(entry.caseId), sk: `ALERTFEED#${entry.ruleId}#${agency}` };
      const index = { gsi1pk: feedPk(agency), gsi1sk: `${entry.at}#${entry.caseId}#${entry.ruleId}` };
      return put('alert-feed-entry', itemOf(key, 'alert-feed-entry', entry, index), 'absent');
    });
  }

  async page(agency: AgencyId, page: PageRequest): Promise<Page<AlertFeedEntry>> {
    const found = await this.#table.pageIndex(feedPk(agency), page);
    const items = found.items.map((item) => {
      const { version: _version, ...entry } = entityOf<AlertFeedEntry>(item);
      return entry;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}

const feedPk = (agency: AgencyId) => `ALERTS#${agency}`;
