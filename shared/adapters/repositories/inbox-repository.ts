import type { AgencyId } from '../../agencies.ts';
import type { Change, InboxRepository, Page, PageRequest } from '../../cases/ports.ts';
import type { InboxEvent } from '../../inbox.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

/** Inbox events live on their case and are indexed by the addressed agency. */
export class TableInboxRepository implements InboxRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  add(event: InboxEvent): Change {
    const index = { gsi1pk: inboxPk(event.addressee), gsi1sk: `${event.at}#${event.eventId}` };
    return put('inbox-event', itemOf({ pk: casePk(event.projectId), sk: `EVENT#${event.at}#${event.eventId}` }, 'inbox-event', event, index), 'absent');
  }

  async page(addressee: AgencyId, page: PageRequest): Promise<Page<InboxEvent>> {
    const found = await this.#table.pageIndex(inboxPk(addressee), page);
    const items = found.items.map((item) => {
      const { version: _version, ...event } = entityOf<InboxEvent>(item);
      return event;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}

const inboxPk = (agency: AgencyId) => `INBOX#${agency}`;
