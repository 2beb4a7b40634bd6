import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import type { EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { newId } from '../../../shared/ids.ts';
import type { HandoverDeps } from '../app/handover.ts';
import { TableDistributionRepository, TableHandoverRepository, TableHandoverUploadRepository } from './handover-repository.ts';

export function handoverDepsOn(table: Table, ports: { evidence: EvidenceStore; newId: (nowMs: number) => string }): HandoverDeps {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    payableAgreements: kernel.payableAgreements,
    paymentStatus: kernel.paymentStatus,
    householdSteps: kernel.householdSteps,
    inbox: kernel.inbox,
    watches: kernel.watches,
    handovers: new TableHandoverRepository(table),
    uploads: new TableHandoverUploadRepository(table),
    distributions: new TableDistributionRepository(table),
    ...ports,
  };
}

/** No paged lists: a household's file and a group's disclosures are read whole. */
export function handoverDeps(): HandoverDeps {
  return handoverDepsOn(casesTableFromEnv(), { evidence: evidenceStoreFromEnv(), newId });
}
