/**
 * Every API route the console calls, each checked against its service's route spec: a renamed
 * path or a changed schema breaks `tsc -p console`, not a clerk's screen. A new service's screens
 * add its routes here (console/README.md, "Adding a service's screens").
 */
import type { routes as compensation, documentRoutes as compensationDocuments } from '../../../services/compensation/schemas.ts';
import type { routes as handover } from '../../../services/handover/schemas.ts';
import type { routes as incidents } from '../../../services/incidents/schemas.ts';
import type { routes as notices } from '../../../services/notices/schemas.ts';
import type { routes as oversight } from '../../../services/oversight/schemas.ts';
import type { routes as payments } from '../../../services/payments/schemas.ts';
import type { routes as platform } from '../../../services/platform/schemas.ts';
import { type Answer, endpoint } from './client.ts';

export const api = {
  // platform
  me: endpoint<typeof platform.me>('GET /me'),
  myWork: endpoint<typeof platform.myWork>('GET /my-work'),
  alerts: endpoint<typeof platform.alerts>('GET /alerts'),
  holidayYears: endpoint<typeof platform.holidayYears>('GET /calendar/years'),
  putHolidayYear: endpoint<typeof platform.putHolidayYear>('PUT /calendar/years/{year}'),
  maintenanceJob: endpoint<typeof platform.maintenanceJob>('GET /calendar/jobs/{jobId}'),
  // notices
  inbox: endpoint<typeof notices.inbox>('GET /inbox'),
  projects: endpoint<typeof notices.listProjects>('GET /projects'),
  project: endpoint<typeof notices.getProject>('GET /projects/{projectId}'),
  timeline: endpoint<typeof notices.timeline>('GET /projects/{projectId}/timeline'),
  notice: endpoint<typeof notices.getNotice>('GET /projects/{projectId}/notice'),
  reviewNotice: endpoint<typeof notices.reviewNotice>('POST /projects/{projectId}/notice/review'),
  evidenceUpload: endpoint<typeof notices.requestEvidenceUpload>('POST /projects/{projectId}/evidence-uploads'),
  recordPosting: endpoint<typeof notices.recordPosting>('POST /projects/{projectId}/postings'),
  postings: endpoint<typeof notices.postings>('GET /projects/{projectId}/postings'),
  // compensation
  plan: endpoint<typeof compensation.getPlan>('GET /projects/{projectId}/plan'),
  reviewPlan: endpoint<typeof compensation.reviewPlan>('POST /projects/{projectId}/plan/review'),
  households: endpoint<typeof compensation.listHouseholds>('GET /projects/{projectId}/households'),
  household: endpoint<typeof compensation.getHousehold>('GET /households/{householdId}'),
  householdTimeline: endpoint<typeof compensation.householdTimeline>('GET /households/{householdId}/timeline'),
  compensation: endpoint<typeof compensation.getCompensation>('GET /households/{householdId}/compensation'),
  agreements: endpoint<typeof compensation.listAgreements>('GET /households/{householdId}/agreements'),
  householdUpload: endpoint<typeof compensation.householdUpload>('POST /households/{householdId}/uploads'),
  addSurveyEvidence: endpoint<typeof compensation.addSurveyEvidence>('POST /households/{householdId}/survey/evidence'),
  projectUpload: endpoint<typeof compensation.projectUpload>('POST /projects/{projectId}/uploads'),
  startImport: endpoint<typeof compensation.startImport>('POST /projects/{projectId}/survey-imports'),
  getImport: endpoint<typeof compensation.getImport>('GET /projects/{projectId}/survey-imports/{jobId}'),
  surveyTemplate: endpoint<typeof compensationDocuments.surveyTemplate>('GET /projects/{projectId}/survey-template'),
  exportDisclosure: endpoint<typeof compensationDocuments.exportDisclosure>('POST /projects/{projectId}/village-groups/{villageGroupId}/disclosures'),
  // payments, handover
  householdPayments: endpoint<typeof payments.householdPayments>('GET /households/{householdId}/payments'),
  account: endpoint<typeof payments.read>('GET /projects/{projectId}/account'),
  handover: endpoint<typeof handover.readHandover>('GET /households/{householdId}/handover'),
  // incidents, oversight
  projectIncidents: endpoint<typeof incidents.list>('GET /projects/{projectId}/incidents'),
  meetings: endpoint<typeof oversight.listMeetings>('GET /joint-meetings'),
  meeting: endpoint<typeof oversight.readMeeting>('GET /joint-meetings/{meetingId}'),
  scorecard: endpoint<typeof oversight.scorecard>('GET /scorecard'),
  scorecardExport: endpoint<typeof oversight.scorecardExport>('POST /scorecard/export'),
};

/** Who is signed in: the agency, its jurisdiction, what it may do, and the server's clock. */
export type Me = Answer<typeof platform.me>;

export type Timeline = Answer<typeof notices.timeline>;
export type Project = Answer<typeof notices.getProject>;
export type ProjectPostings = Answer<typeof notices.postings>;
export type ProjectSummary = Answer<typeof notices.listProjects>['items'][number];
export type NoticeDocument = Answer<typeof notices.getNotice>;
export type PlanDocument = Answer<typeof compensation.getPlan>;
