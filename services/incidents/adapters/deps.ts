import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import { newId } from '../../../shared/ids.ts';
import type { IncidentDeps } from '../app/incidents.ts';
import type { PetitionDeps } from '../app/petitions.ts';
import { TableIncidentCriteriaRepository, TableIncidentRepository, TableIncidentUploadRepository, TablePetitionRepository } from './incident-repository.ts';

type Ports = Pick<IncidentDeps, 'scheduler' | 'evidence' | 'newId'>;

export function incidentsDepsOn(table: Table, ports: Ports): IncidentDeps & PetitionDeps {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    householdCards: kernel.householdCards,
    inbox: kernel.inbox,
    watches: kernel.watches,
    incidents: new TableIncidentRepository(table),
    uploads: new TableIncidentUploadRepository(table),
    criteria: new TableIncidentCriteriaRepository(table),
    petitions: new TablePetitionRepository(table),
    calendar: holidaySource(kernel.holidayYears),
    ...ports,
  };
}

/** The project's incidents and petitions are listed a page at a time (signed cursors). */
export function incidentsDeps(): IncidentDeps & PetitionDeps {
  return incidentsDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { scheduler: schedulerFromEnv(), evidence: evidenceStoreFromEnv(), newId });
}
