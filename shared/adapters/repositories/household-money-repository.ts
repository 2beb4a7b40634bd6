import type { HouseholdCard, HouseholdPaymentStatus, HouseholdStep, PayableAgreement } from '../../cases/household-money.ts';
import type { Change, Expected, HouseholdCardRepository, HouseholdPaymentStatusRepository, HouseholdStepRepository, PayableAgreementRepository, Versioned } from '../../cases/ports.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

// Under the household's case partition (caseId = householdId), beside its payment-clock watch.
const AGREEMENT = 'PAYABLE-AGREEMENT#';
const STATUS = 'PAYMENT-STATUS';
const STEP = 'HOUSEHOLD-STEP#';
const CARD = 'HOUSEHOLD-CARD';

export class TablePayableAgreementRepository implements PayableAgreementRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofHousehold(householdId: string): Promise<Array<Versioned<PayableAgreement>>> {
    const items = await this.#table.query(casePk(householdId), AGREEMENT);
    return items.map((item) => entityOf<PayableAgreement>(item)).sort((a, b) => a.signedAt.localeCompare(b.signedAt));
  }

  save(agreement: PayableAgreement, expected: Expected): Change {
    return put('payable-agreement', itemOf({ pk: casePk(agreement.householdId), sk: `${AGREEMENT}${agreement.agreementId}` }, 'payable-agreement', agreement), expected);
  }
}

export class TableHouseholdPaymentStatusRepository implements HouseholdPaymentStatusRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(householdId: string): Promise<Versioned<HouseholdPaymentStatus> | undefined> {
    const item = await this.#table.get(casePk(householdId), STATUS);
    return item ? entityOf<HouseholdPaymentStatus>(item) : undefined;
  }

  save(status: HouseholdPaymentStatus, expected: Expected): Change {
    return put('household-payment-status', itemOf({ pk: casePk(status.householdId), sk: STATUS }, 'household-payment-status', status), expected);
  }
}

export class TableHouseholdStepRepository implements HouseholdStepRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofHousehold(householdId: string): Promise<Array<Versioned<HouseholdStep>>> {
    return (await this.#table.query(casePk(householdId), STEP)).map((item) => entityOf<HouseholdStep>(item));
  }

  save(step: HouseholdStep, expected: Expected): Change {
    return put('household-step', itemOf({ pk: casePk(step.householdId), sk: `${STEP}${step.key}` }, 'household-step', step), expected);
  }
}

export class TableHouseholdCardRepository implements HouseholdCardRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(householdId: string): Promise<Versioned<HouseholdCard> | undefined> {
    const item = await this.#table.get(casePk(householdId), CARD);
    return item ? entityOf<HouseholdCard>(item) : undefined;
  }

  save(card: HouseholdCard, expected: Expected): Change {
    return put('household-card', itemOf({ pk: casePk(card.householdId), sk: CARD }, 'household-card', card), expected);
  }
}
