/**
 * The oversight service's ports: what its use cases read and write, through repositories that own
 * the keys (services/oversight/adapters). One block per feature.
 */
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { JointMeeting, Resolution } from '../domain/meeting.ts';
import type { PolicyQuery } from '../domain/policy-query.ts';
import type { ScorecardSettings, ScorecardView } from '../domain/scorecard.ts';
import type { SupervisionReportText } from '../domain/supervision-report.ts';
import type { Assignment, Summons, SupervisionReportRecord } from '../domain/supervision.ts';
import type { MeetingUpload } from '../domain/uploads.ts';

// ─── Scorecard (seed §四(三)) ─────────────────────────────────────────────────────────────────

/** The leading group office's scorecard settings: one record, guarded by its version. */
export interface ScorecardSettingsRepository {
  /** The settings, or undefined before the office first sets them. */
  find(): Promise<Versioned<ScorecardSettings> | undefined>;
  /** A concurrent change is refused (409 `scorecard.settings-changed`). */
  save(settings: ScorecardSettings, expected: Expected): Change;
}

/** Renders the scorecard as a workbook (exceljs in services/oversight/adapters/scorecard-xlsx.ts). */
export interface ScorecardRenderer {
  scorecardXlsx(view: ScorecardView): Promise<Uint8Array>;
}


// ─── Supervision (seed §四(四)) ───────────────────────────────────────────────────────────────

export interface SupervisionRepository {
  /** The report, or a 404 `supervision.report-not-found`. */
  report(reportId: string): Promise<SupervisionReportRecord>;
  addReport(report: SupervisionReportRecord): Change;
  /** The assignment, or a 404 `assignment.not-found`. */
  assignment(assignmentId: string): Promise<Versioned<Assignment>>;
  saveAssignment(assignment: Assignment, expected: Expected): Change;
  /** The summons record, or a 404 `summons.not-found`. */
  summons(summonsId: string): Promise<Summons>;
  addSummons(summons: Summons): Change;
}

// ─── Joint meetings and resolutions (seed §四(一)) ─────────────────────────────────────────────

export interface MeetingRepository {
  /** The meeting, or a 404 `meeting.not-found`. */
  get(meetingId: string): Promise<Versioned<JointMeeting>>;
  save(meeting: JointMeeting, expected: Expected): Change;
  /** Every meeting, the latest held first. */
  page(page: PageRequest): Promise<Page<JointMeeting>>;
}

export interface ResolutionRepository {
  /** The resolution, or a 404 `resolution.not-found`. */
  get(resolutionId: string): Promise<Versioned<Resolution>>;
  /** A new resolution, findable by its id from now on. */
  create(resolution: Resolution): Change[];
  save(resolution: Resolution, expected: number): Change;
  /** The meeting's resolutions in their order. */
  ofMeeting(meetingId: string): Promise<Resolution[]>;
}

export interface MeetingUploadRepository {
  find(meetingId: string, uploadId: string): Promise<Versioned<MeetingUpload> | undefined>;
  save(upload: MeetingUpload, expected: Expected): Change;
}

// ─── Policy queries (seed §三(三)) ──────────────────────────────────────────────────────────────

export interface PolicyQueryRepository {
  /** The query, or a 404 `policy-query.not-found`. */
  get(queryId: string): Promise<Versioned<PolicyQuery>>;
  save(query: PolicyQuery, expected: Expected): Change;
  /** The district's queries, oldest submission first. */
  ofDistrict(district: string, page: PageRequest): Promise<Page<PolicyQuery>>;
}

// ─── The supervision report's printer ──────────────────────────────────────────────────────────

/** Prints the supervision report (§四(四)): the same text and `generatedAt` give the same bytes. */
export interface SupervisionReportRenderer {
  supervisionPdf(text: SupervisionReportText, generatedAt: string): Promise<Uint8Array>;
}
