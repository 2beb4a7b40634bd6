import { apiHandler } from '../../../shared/http/api-handler.ts';
import { oversightDeps } from '../adapters/deps.ts';
import * as meetings from '../app/meetings.ts';
import * as queries from '../app/policy-queries.ts';
import * as scorecard from '../app/scorecard.ts';
import * as supervision from '../app/supervision.ts';
import { routes } from '../schemas.ts';

const deps = oversightDeps();

export const handler = apiHandler(routes, {
  recordMeeting: ({ body, ctx }) => meetings.recordJointMeeting(deps, body, ctx),
  listMeetings: ({ query, ctx }) => meetings.listJointMeetings(deps, query, ctx),
  readMeeting: ({ params, ctx }) => meetings.readJointMeeting(deps, params.meetingId, ctx),
  meetingUpload: ({ params, body, ctx }) => meetings.requestMeetingUpload(deps, params.meetingId, body, ctx),
  minutes: ({ params, body, ctx }) => meetings.recordMeetingMinutes(deps, params.meetingId, body, ctx),
  recordResolution: ({ params, body, ctx }) => meetings.recordResolution(deps, params.meetingId, body, ctx),
  readResolution: ({ params, ctx }) => meetings.readResolution(deps, params.resolutionId, ctx),
  resolutionProgress: ({ params, body, ctx }) => meetings.reportResolutionProgress(deps, params.resolutionId, body, ctx),
  resolutionDone: ({ params, body, ctx }) => meetings.completeMeetingResolution(deps, params.resolutionId, body, ctx),
  submitPolicyQuery: ({ body, ctx }) => queries.submitDistrictPolicyQuery(deps, body, ctx),
  listPolicyQueries: ({ query, ctx }) => queries.listDistrictPolicyQueries(deps, query, ctx),
  readPolicyQuery: ({ params, ctx }) => queries.readPolicyQuery(deps, params.queryId, ctx),
  recordPolicyTopicMeeting: ({ params, body, ctx }) => queries.recordPolicyTopicMeeting(deps, params.queryId, body, ctx),
  submitPolicyOpinion: ({ params, body, ctx }) => queries.submitPolicyOpinionForApproval(deps, params.queryId, body, ctx),
  decidePolicyOpinion: ({ params, body, ctx }) => queries.decidePolicyOpinion(deps, params.queryId, body, ctx),
  applyPolicyOpinion: ({ params, body, ctx }) => queries.applyPolicyOpinion(deps, params.queryId, body, ctx),
  report: ({ body, ctx }) => supervision.issueSupervisionReport(deps, body, ctx),
  readReport: ({ params, ctx }) => supervision.readSupervisionReport(deps, params.reportId, ctx),
  assign: ({ body, ctx }) => supervision.assignProblem(deps, body, ctx),
  readAssignment: ({ params, ctx }) => supervision.readAssignment(deps, params.assignmentId, ctx),
  assignmentDone: ({ params, body, ctx }) => supervision.completeSupervisionAssignment(deps, params.assignmentId, body, ctx),
  summon: ({ body, ctx }) => supervision.recordOfficialSummons(deps, body, ctx),
  readSummons: ({ params, ctx }) => supervision.readSummons(deps, params.summonsId, ctx),
  scorecard: ({ query, ctx }) => scorecard.readScorecard(deps, query, ctx),
  scorecardExport: ({ query, ctx }) => scorecard.exportScorecard(deps, query, ctx),
  scorecardSettings: ({ ctx }) => scorecard.readScorecardSettings(deps, ctx),
  setScorecardSettings: ({ body, ctx }) => scorecard.setDeductionRate(deps, body, ctx),
}, { audit: deps.uow });
