import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { AgreementRepository } from '../app/ports.ts';
import type { Agreement } from '../domain/agreement.ts';
import { householdPk } from './household-repository.ts';

const PREFIX = 'AGREEMENT#';

/** Agreements live with their household: one query gives the household's whole history of them. */
export class TableAgreementRepository implements AgreementRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofHousehold(householdId: string): Promise<Array<Versioned<Agreement>>> {
    const items = await this.#table.query(householdPk(householdId), PREFIX);
    return items.map((item) => entityOf<Agreement>(item));
  }

  save(agreement: Agreement, expected: Expected): Change {
    return put('agreement', itemOf({ pk: householdPk(agreement.householdId), sk: `${PREFIX}${agreement.agreementId}` }, 'agreement', agreement), expected);
  }
}
