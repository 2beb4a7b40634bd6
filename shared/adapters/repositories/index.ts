import type { Table } from '../table.ts';
import { TableAlertFeedRepository } from './alert-feed-repository.ts';
import { TableCaseCounterRepository } from './case-counter-repository.ts';
import { TableHouseholdCardRepository, TableHouseholdPaymentStatusRepository, TableHouseholdStepRepository, TablePayableAgreementRepository } from './household-money-repository.ts';
import { TableHolidayYearRepository } from './holiday-year-repository.ts';
import { TableInboxRepository } from './inbox-repository.ts';
import { TableMaintenanceJobRepository } from './maintenance-job-repository.ts';
import { TablePerformanceRepository } from './performance-repository.ts';
import { TablePlanApprovalRepository } from './plan-approval-repository.ts';
import { TableProjectRepository } from './project-repository.ts';
import { TableReviewedDocumentRepository } from './reviewed-document-repository.ts';
import { TableWatchRepository } from './watch-repository.ts';
import { TableUnitOfWork } from './unit-of-work.ts';

/** The case kernel's repositories on one table: what every service's wiring starts from. */
export function caseKernel(table: Table) {
  return {
    uow: new TableUnitOfWork(table),
    projects: new TableProjectRepository(table),
    documents: new TableReviewedDocumentRepository(table),
    watches: new TableWatchRepository(table),
    inbox: new TableInboxRepository(table),
    performance: new TablePerformanceRepository(table),
    alertFeed: new TableAlertFeedRepository(table),
    counters: new TableCaseCounterRepository(table),
    holidayYears: new TableHolidayYearRepository(table),
    jobs: new TableMaintenanceJobRepository(table),
    payableAgreements: new TablePayableAgreementRepository(table),
    paymentStatus: new TableHouseholdPaymentStatusRepository(table),
    householdSteps: new TableHouseholdStepRepository(table),
    householdCards: new TableHouseholdCardRepository(table),
    planApprovals: new TablePlanApprovalRepository(table),
  };
}

export type CaseKernel = ReturnType<typeof caseKernel>;
