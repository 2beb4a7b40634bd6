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

/** The compensation service's repositories on a table, with the other ports given. */
export function compensationDepsOn(table: Table, ports: CompensationPorts): CompensationDeps {
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
    ...ports,
  };
}

/**
 * The compensation service wired to AWS (or the local cloud: same clients, other endpoints). Its
 * three functions use different ports and are given only those ports' settings, so each port is
 * built on its first use, not at cold start.
 */
export function compensationDeps(): CompensationDeps {
  return compensationDepsOn(casesTableFromEnv(lazy(() => cursorSealerFromEnv())), {
    scheduler: lazy(() => schedulerFromEnv()),
    evidence: lazy(() => evidenceStoreFromEnv()),
    files: lazy(() => documentStoreFromEnv()),
    pii: lazy(() => piiVaultFromEnv()),
    newId,
  });
}

/** A port made on first use (its settings are read then, so a function without them never reads them). */
function lazy<T extends object>(make: () => T): T {
  let port: T | undefined;
  return new Proxy({} as T, {
    get(_target, name) {
      port ??= make();
      const member = Reflect.get(port, name) as unknown;
      return typeof member === 'function' ? member.bind(port) : member;
    },
  });
}
