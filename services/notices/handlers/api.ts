import { apiHandler } from '../../../shared/http/api-handler.ts';
import { noticesDeps } from '../adapters/deps.ts';
import { projectTimeline } from '../app/timeline.ts';
import {
  acknowledgeHukouSuspension,
  resumeHukouChanges,
  createProjectCase,
  draftProjectNotice,
  getProject,
  getProjectNotice,
  listProjects,
  publishProjectNotice,
  projectPostings,
  readInbox,
  recordPosting,
  requestEvidenceUpload,
  reviewProjectNotice,
} from '../app/use-cases.ts';
import { routes } from '../schemas.ts';

const deps = noticesDeps();

export const handler = apiHandler(routes, {
  createProject: ({ body, ctx }) => createProjectCase(deps, body, ctx),
  listProjects: ({ query, ctx }) => listProjects(deps, query, ctx),
  getProject: ({ params, ctx }) => getProject(deps, params.projectId, ctx),
  timeline: ({ params, ctx }) => projectTimeline(deps, params.projectId, ctx),
  draftNotice: ({ params, body, ctx }) => draftProjectNotice(deps, params.projectId, body, ctx),
  getNotice: ({ params, ctx }) => getProjectNotice(deps, params.projectId, ctx),
  reviewNotice: ({ params, body, ctx }) => reviewProjectNotice(deps, params.projectId, body, ctx),
  publishNotice: ({ params, ctx }) => publishProjectNotice(deps, params.projectId, ctx),
  requestEvidenceUpload: ({ params, body, ctx }) => requestEvidenceUpload(deps, params.projectId, body, ctx),
  recordPosting: ({ params, body, ctx }) => recordPosting(deps, params.projectId, body, ctx),
  postings: ({ params, ctx }) => projectPostings(deps, params.projectId, ctx),
  acknowledgeHukouSuspension: ({ params, ctx }) => acknowledgeHukouSuspension(deps, params.projectId, ctx),
  resumeHukouChanges: ({ params, ctx }) => resumeHukouChanges(deps, params.projectId, ctx),
  inbox: ({ query, ctx }) => readInbox(deps, query, ctx),
}, { audit: deps.uow });
