import type { AuditRecord } from '../audit.ts';
import type { AgencyId } from '../agencies.ts';
import type { AlertFeedEntry } from '../alerts/feed.ts';
import type { MaintenanceJob } from '../deadlines/maintenance-job.ts';
import type { DeadlineWatch } from '../deadlines/watch.ts';
import type { InboxEvent } from '../inbox.ts';
import type { ReviewedDocument } from '../review.ts';
import type { HouseholdCard, HouseholdPaymentStatus, HouseholdStep, PayableAgreement } from './household-money.ts';
import type { Project } from './project.ts';
import type { Versioned } from './versioned.ts';

/**
 * The case kernel's ports: what every service may read and write of a case, typed, through
 * repositories that own the storage shape (keys, indexes). Use cases never see a key.
 *
 * Writes are prepared by repositories as `Change`s and committed together with the action's audit
 * records by the unit of work — one transaction (decision 0004, 0007).
 */

export type { Versioned } from './versioned.ts';

/** What a guarded write expects: the record is new, or still at this version. */
export type Expected = 'absent' | number;

/** A write a repository prepared; only the unit of work commits it. Opaque to use cases. */
export interface Change {
  /** Which kind of record it writes, for diagnostics. */
  readonly record: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Opaque and tamper-evident; present when there is more. */
  cursor?: string;
}

export interface UnitOfWork {
  /** The changes and the audit records commit together or not at all. */
  commit(changes: readonly Change[], audit: readonly AuditRecord[]): Promise<void>;
  /** Audit records alone (reads of case data, refused attempts). */
  appendAudit(audit: readonly AuditRecord[]): Promise<void>;
}

export interface ProjectRepository {
  /** The project, or a 404 `project.not-found`. */
  get(projectId: string): Promise<Versioned<Project>>;
  create(project: Project): Change;
  /**
   * The projects filed under these districts, newest first across all of them, a page at a time:
   * one opaque cursor continues every district.
   */
  pageInDistricts(districts: readonly string[], page: PageRequest): Promise<Page<Project>>;
}

/** The documents that pass the legal affairs review before publication (shared/review.ts). */
export type ReviewedDocumentKind = 'notice' | 'plan';

export interface ReviewedDocumentRepository {
  find<D extends ReviewedDocument = ReviewedDocument>(projectId: string, kind: ReviewedDocumentKind): Promise<Versioned<D> | undefined>;
  save(projectId: string, kind: ReviewedDocumentKind, document: ReviewedDocument, expected: Expected): Change;
}

/** A watch as stored, with the callback of a workflow waiting for its step (opaque to the domain). */
export interface StoredWatch {
  watch: DeadlineWatch;
  version: number;
  /** Set while a workflow waits for the watch's step; given back to the scheduler to release it. */
  waiting?: string;
}

export interface WatchRepository {
  find(caseId: string, ruleId: string): Promise<StoredWatch | undefined>;
  /** The watch, or a 404 `deadline.not-found`. */
  get(caseId: string, ruleId: string): Promise<StoredWatch>;
  /** Every watch of a case, in rule order. */
  ofCase(caseId: string): Promise<DeadlineWatch[]>;
  /** Every live (open or overdue) watch of every case: by responsible agency (AGENCY_IDS order), then due instant. */
  live(): Promise<StoredWatch[]>;
  /**
   * One page of the live watches in `live`'s order, from `position` (opaque and signed; absent: the
   * start). `position` in the answer continues after this page; absent when there is no more.
   */
  livePage(position: string | undefined, limit: number): Promise<{ items: StoredWatch[]; position?: string }>;
  /** One page of the live watches an agency answers for (every jurisdiction), nearest due first. */
  liveOfAgency(agency: AgencyId, page: PageRequest): Promise<Page<DeadlineWatch>>;
  /** Writes the watch; a callback stored with it is dropped unless given again. */
  save(watch: DeadlineWatch, expected: Expected, options?: { waiting?: string; onConflict?: Error }): Change;
}

/** The deadline-maintenance jobs (reconcile, holiday recount): each record is its job's checkpoint. */
export interface MaintenanceJobRepository {
  find(jobId: string): Promise<Versioned<MaintenanceJob> | undefined>;
  /** The job, or a 404 `job.not-found`. */
  get(jobId: string): Promise<Versioned<MaintenanceJob>>;
  save(job: MaintenanceJob, expected: Expected): Change;
}

export interface InboxRepository {
  add(event: InboxEvent): Change;
  /** The addressee's events, newest first. */
  page(addressee: AgencyId, page: PageRequest): Promise<Page<InboxEvent>>;
}

/** An agency deadline missed: counted against the agency for performance assessment (seed §四(三)). */
export interface OverdueRecord {
  agency: AgencyId;
  jurisdiction: string;
  caseId: string;
  ruleId: string;
  step: string;
  dueAt: string;
  recordedAt: string;
  source: string;
}

/**
 * An agency deadline met before it fell due, recorded for the responsible agency when the worker
 * judges it: the scorecard's "met" count is read from these, never typed in (seed §四(三)).
 */
export interface MetRecord {
  agency: AgencyId;
  jurisdiction: string;
  caseId: string;
  ruleId: string;
  step: string;
  dueAt: string;
  metAt: string;
  source: string;
  recordedAt: string;
}

export interface PerformanceRepository {
  /** Once per case and rule: a second record of the same miss is refused by the store. */
  recordOverdue(record: OverdueRecord): Change;
  /** Once per agency, case and rule: a second record of the same deadline met is refused by the store. */
  recordMet(record: MetRecord): Change;
  findMet(agency: AgencyId, caseId: string, ruleId: string): Promise<MetRecord | undefined>;
  /** Everything recorded for one agency (every jurisdiction), met and missed, for its scorecard. */
  ofAgency(agency: AgencyId): Promise<{ met: MetRecord[]; overdue: OverdueRecord[] }>;
  /** Every agency's overdue records, newest first. */
  page(page: PageRequest): Promise<Page<OverdueRecord>>;
}

/** The alerts each agency's console lists (shared/alerts/feed.ts). */
export interface AlertFeedRepository {
  /** The entry, for each agency it is addressed to: once per case and rule. */
  add(entry: AlertFeedEntry): Change[];
  /** The entries addressed to the agency (every jurisdiction), newest first. */
  page(agency: AgencyId, page: PageRequest): Promise<Page<AlertFeedEntry>>;
}

/**
 * Running counts kept on a case, so a view costs the same at 2,000 households as at 2:
 * registrations; the project's households, and those that signed their agreement; what the signed
 * agreements pay out against what was deposited (full funds first, 2021 Regulations art. 32). Hukou changes,
 * suspended since the notice, resume once every household is settled (seed §三(七)); signing is the
 * first half of that, full payment (the payments service) the second.
 */
export type CaseCounter =
  | 'registrations'
  | 'households'
  | 'households-signed'
  /** Fen the project's signed agreements pay out (positive payee amounts; supplements adjust it). */
  | 'agreements-payout-fen'
  /** Fen of confirmed deposits into the project's dedicated account (compensation fund). */
  | 'deposits-confirmed-fen'
  /** Households whose agreement in force the bank has settled in full (hukou changes resume after the last). */
  | 'households-paid';

export interface PayableAgreementRepository {
  /** The household's published agreements, signed and superseded, oldest signing first. */
  ofHousehold(householdId: string): Promise<Array<Versioned<PayableAgreement>>>;
  save(agreement: PayableAgreement, expected: Expected): Change;
}

export interface HouseholdPaymentStatusRepository {
  find(householdId: string): Promise<Versioned<HouseholdPaymentStatus> | undefined>;
  save(status: HouseholdPaymentStatus, expected: Expected): Change;
}

/**
 * The joint meeting's approval (审定) of a project's implementation plan (seed §四(一)), published
 * into the project's case by the oversight service: the plan is published only once it exists.
 */
export interface PlanApproval {
  projectId: string;
  meetingId: string;
  resolutionId: string;
  /** When the meeting decided it. */
  approvedAt: string;
  text: string;
}

export interface PlanApprovalRepository {
  find(projectId: string): Promise<Versioned<PlanApproval> | undefined>;
  /** Once per project: a second approval is refused by the store (409). */
  save(approval: PlanApproval): Change;
}

export interface HouseholdCardRepository {
  find(householdId: string): Promise<Versioned<HouseholdCard> | undefined>;
  save(card: HouseholdCard, expected: Expected): Change;
}

export interface HouseholdStepRepository {
  /** The household's published steps, by key. */
  ofHousehold(householdId: string): Promise<Array<Versioned<HouseholdStep>>>;
  save(step: HouseholdStep, expected: Expected): Change;
}

export interface CaseCounterRepository {
  increment(caseId: string, counter: CaseCounter, by?: number): Change;
  read(caseId: string, counter: CaseCounter): Promise<number>;
}
