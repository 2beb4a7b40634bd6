import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { documentStoreFromEnv, evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource, type RuleVariant } from '../../../shared/calendar/index.ts';
import { newId } from '../../../shared/ids.ts';
import type { EnforcementDeps } from '../app/enforcement.ts';
import { TableEnforcementRepository, TableEnforcementUploadRepository } from './enforcement-repository.ts';
import { libraryInstrumentRenderer } from './documents/renderer.ts';

type Ports = Pick<EnforcementDeps, 'scheduler' | 'evidence' | 'files' | 'renderer' | 'newId'>;

/** The rule table this deployment follows: the seed's unless configured (a chain keeps the one it opened under). */
const variantFromEnv = (): RuleVariant => (process.env.RULE_VARIANT === 'national' ? 'national' : 'seed');

export function enforcementDepsOn(table: Table, ports: Ports, variant: RuleVariant = variantFromEnv()): EnforcementDeps {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    documents: kernel.documents,
    householdCards: kernel.householdCards,
    payableAgreements: kernel.payableAgreements,
    paymentStatus: kernel.paymentStatus,
    householdSteps: kernel.householdSteps,
    inbox: kernel.inbox,
    watches: kernel.watches,
    chains: new TableEnforcementRepository(table),
    uploads: new TableEnforcementUploadRepository(table),
    calendar: holidaySource(kernel.holidayYears),
    variant,
    ...ports,
  };
}

/** The project's chains are listed a page at a time (signed cursors). */
export function enforcementDeps(): EnforcementDeps {
  return enforcementDepsOn(casesTableFromEnv(cursorSealerFromEnv()), {
    scheduler: schedulerFromEnv(),
    evidence: evidenceStoreFromEnv(),
    files: documentStoreFromEnv(),
    renderer: libraryInstrumentRenderer,
    newId,
  });
}
