import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { piiVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { documentStoreFromEnv, evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import type { DocumentStore, EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { newId } from '../../../shared/ids.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { CompensationDeps } from '../app/use-cases.ts';
import { TableAgreementRepository } from './agreement-repository.ts';
import { TableCompensationRepository } from './compensation-repository.ts';
import { TableDisclosureRepository } from './disclosure-repository.ts';
import { TableHouseholdRepository } from './household-repository.ts';
import { TableImportJobRepository } from './import-job-repository.ts';
import { TableResettlementListRepository } from './resettlement-list-repository.ts';
import { TableStandardRepository } from './standard-repository.ts';
import { TableUploadRepository } from './upload-repository.ts';

export interface CompensationPorts {
  scheduler: WatchScheduler;
  evidence: EvidenceStore;
  files: DocumentStore;
  pii: PiiVault;
  newId: (nowMs: number) => string;
}

/** The compensation service's repositories (and the legal calendar) on a table. */
export function compensationRepositoriesOn(table: Table) {
  const kernel = caseKernel(table);
  return {
    ...kernel,
    standards: new TableStandardRepository(table),
    households: new TableHouseholdRepository(table),
    compensations: new TableCompensationRepository(table),
    agreements: new TableAgreementRepository(table),
    disclosures: new TableDisclosureRepository(table),
    lists: new TableResettlementListRepository(table),
    uploads: new TableUploadRepository(table),
    imports: new TableImportJobRepository(table),
    calendar: holidaySource(kernel.holidayYears),
  };
}

/** The compensation service's repositories on a table, with the other ports given. */
export function compensationDepsOn(table: Table, ports: CompensationPorts): CompensationDeps {
  return { ...compensationRepositoriesOn(table), ...ports };
}

/**
 * Each of the service's functions wires only the ports it uses (and is granted only those): the
 * clients it does not need are not in its bundle. The API holds them all.
 */
export function apiDeps(): CompensationDeps {
  return compensationDepsOn(casesTableFromEnv(cursorSealerFromEnv()), {
    scheduler: schedulerFromEnv(),
    evidence: evidenceStoreFromEnv(),
    files: documentStoreFromEnv(),
    pii: piiVaultFromEnv(),
    newId,
  });
}
