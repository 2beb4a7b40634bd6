import { apiHandler } from '../../../shared/http/api-handler.ts';
import { enforcementDeps } from '../adapters/deps.ts';
import * as app from '../app/enforcement.ts';
import { routes } from '../schemas.ts';

const deps = enforcementDeps();

export const handler = apiHandler(routes, {
  open: ({ params, body, ctx }) => app.openEnforcement(deps, params.householdId, body, ctx),
  list: ({ params, query, ctx }) => app.listProjectEnforcement(deps, params.projectId, query, ctx),
  read: ({ params, ctx }) => app.readEnforcement(deps, params.chainId, ctx),
  upload: ({ params, body, ctx }) => app.requestEnforcementUpload(deps, params.chainId, body, ctx),
  issue: ({ params, body, ctx }) => app.issueEnforcementInstrument(deps, params.chainId, body, ctx),
  document: ({ params, ctx }) => app.instrumentDocument(deps, params.chainId, params.instrumentId, ctx),
  serve: ({ params, body, ctx }) => app.serveEnforcementInstrument(deps, params.chainId, params.instrumentId, body, ctx),
  fileRemedy: ({ params, body, ctx }) => app.fileEnforcementRemedy(deps, params.chainId, body, ctx),
  decideRemedy: ({ params, body, ctx }) => app.decideEnforcementRemedy(deps, params.chainId, params.remedyId, body, ctx),
  statement: ({ params, body, ctx }) => app.recordEnforcementStatement(deps, params.chainId, body, ctx),
  reviewStatement: ({ params, body, ctx }) => app.reviewEnforcementStatement(deps, params.chainId, params.statementId, body, ctx),
  acceptance: ({ params, body, ctx }) => app.recordCourtAcceptance(deps, params.chainId, body, ctx),
  courtReview: ({ params, body, ctx }) => app.fileEnforcementCourtReview(deps, params.chainId, body, ctx),
  reviewDecision: ({ params, body, ctx }) => app.recordCourtReviewDecision(deps, params.chainId, body, ctx),
  hearing: ({ params, body, ctx }) => app.recordCourtHearing(deps, params.chainId, body, ctx),
  ruling: ({ params, body, ctx }) => app.recordCourtRuling(deps, params.chainId, body, ctx),
  plan: ({ params, body, ctx }) => app.planEnforcementJointAction(deps, params.chainId, body, ctx),
  execution: ({ params, body, ctx }) => app.recordEnforcementExecution(deps, params.chainId, body, ctx),
  handover: ({ params, body, ctx }) => app.recordEnforcementHandover(deps, params.chainId, body, ctx),
  end: ({ params, body, ctx }) => app.endEnforcement(deps, params.chainId, body, ctx),
}, { audit: deps.uow });
