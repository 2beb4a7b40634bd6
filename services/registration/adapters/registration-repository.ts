import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Page, PageRequest } from '../../../shared/cases/ports.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { RegistrationRepository } from '../app/ports.ts';
import type { Registration } from '../domain/registration.ts';

/** Registrations are keyed by the right they register, so a right is registered once. */
const SK_PREFIX = 'REG#';

export class TableRegistrationRepository implements RegistrationRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  add(registration: Registration, options: { sealedIdNumber?: ProtectedValue | undefined; onConflict: Error }): Change {
    const entity = { ...registration, ...(options.sealedIdNumber ? { holderIdNumber: options.sealedIdNumber } : {}) };
    const key = { pk: casePk(registration.projectId), sk: `${SK_PREFIX}${registration.rightKey}` };
    return put('registration', itemOf(key, 'registration', entity), 'absent', options.onConflict);
  }

  async page(projectId: string, page: PageRequest): Promise<Page<Registration>> {
    const found = await this.#table.page(casePk(projectId), SK_PREFIX, page);
    const items = found.items.map((item) => {
      const { version: _version, holderIdNumber: _sealed, ...registration } = entityOf<Registration & { holderIdNumber?: unknown }>(item);
      return registration;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}
