import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { documentStoreFromEnv, evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import { newId } from '../../../shared/ids.ts';
import type { MeetingDeps } from '../app/meetings.ts';
import type { PolicyQueryDeps } from '../app/policy-queries.ts';
import type { ScorecardDeps } from '../app/scorecard.ts';
import type { SupervisionDeps } from '../app/supervision.ts';
import { TableSupervisionRepository } from './supervision-repository.ts';
import { librarySupervisionReportRenderer } from './supervision-report-pdf.ts';
import { scorecardRenderer } from './scorecard-xlsx.ts';
import { TableScorecardSettingsRepository } from './scorecard-settings-repository.ts';
import { TableMeetingRepository, TableMeetingUploadRepository, TableResolutionRepository } from './meeting-repository.ts';
import { TablePolicyQueryRepository } from './policy-query-repository.ts';

type Ports = Pick<MeetingDeps, 'scheduler' | 'evidence' | 'newId'> & Pick<ScorecardDeps, 'files'>;
export type OversightDeps = MeetingDeps & PolicyQueryDeps & ScorecardDeps & SupervisionDeps;

export function oversightDepsOn(table: Table, ports: Ports): OversightDeps {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    planApprovals: kernel.planApprovals,
    inbox: kernel.inbox,
    watches: kernel.watches,
    meetings: new TableMeetingRepository(table),
    resolutions: new TableResolutionRepository(table),
    uploads: new TableMeetingUploadRepository(table),
    policyQueries: new TablePolicyQueryRepository(table),
    performance: kernel.performance,
    settings: new TableScorecardSettingsRepository(table),
    renderer: scorecardRenderer,
    supervision: new TableSupervisionRepository(table),
    reports: librarySupervisionReportRenderer,
    calendar: holidaySource(kernel.holidayYears),
    ...ports,
  };
}

/** Meetings are listed a page at a time (signed cursors). */
export function oversightDeps(): OversightDeps {
  return oversightDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { scheduler: schedulerFromEnv(), evidence: evidenceStoreFromEnv(), files: documentStoreFromEnv(), newId });
}
