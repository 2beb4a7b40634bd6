import { apiHandler } from '../../../shared/http/api-handler.ts';
import { importStarterFromEnv } from '../adapters/sfn-import-starter.ts';
import { apiDeps } from '../adapters/deps.ts';
import { computeHouseholdCompensation, getHouseholdCompensation } from '../app/compensation.ts';
import { listHouseholdAgreements, signHouseholdAgreement } from '../app/agreements.ts';
import { postDisclosure } from '../app/disclosures.ts';
import { getHousehold, listHouseholds } from '../app/household-reads.ts';
import { householdTimeline } from '../app/household-timeline.ts';
import { createHousehold } from '../app/households.ts';
import { approveResettlementList, coReviewResettlementList, getResettlementList } from '../app/resettlement.ts';
import { getSurveyImport, startSurveyImport } from '../app/survey-import.ts';
import { addSurveyEvidence, confirmHouseholdSurvey, determineHouseLegality, raiseHouseholdDispute, recordMemberCheck, recordSurvey, resolveHouseholdDispute } from '../app/survey.ts';
import { requestUpload } from '../app/uploads.ts';
import { draftProjectPlan, getProjectPlan, publishProjectPlan, reviewProjectPlan } from '../app/use-cases.ts';
import { routes } from '../schemas.ts';

const deps = { ...apiDeps(), importer: importStarterFromEnv() };

export const handler = apiHandler(routes, {
  draftPlan: ({ params, body, ctx }) => draftProjectPlan(deps, params.projectId, body, ctx),
  getPlan: ({ params, ctx }) => getProjectPlan(deps, params.projectId, ctx),
  reviewPlan: ({ params, body, ctx }) => reviewProjectPlan(deps, params.projectId, body, ctx),
  publishPlan: ({ params, ctx }) => publishProjectPlan(deps, params.projectId, ctx),
  createHousehold: ({ params, body, ctx }) => createHousehold(deps, params.projectId, body, ctx),
  listHouseholds: ({ params, query, ctx }) => listHouseholds(deps, params.projectId, query, ctx),
  getHousehold: ({ params, ctx }) => getHousehold(deps, params.householdId, ctx),
  householdTimeline: ({ params, ctx }) => householdTimeline(deps, params.householdId, ctx),
  householdUpload: ({ params, body, ctx }) => requestUpload(deps, { householdId: params.householdId }, body, ctx),
  projectUpload: ({ params, body, ctx }) => requestUpload(deps, { projectId: params.projectId }, body, ctx),
  recordSurvey: ({ params, body, ctx }) => recordSurvey(deps, params.householdId, body, ctx),
  addSurveyEvidence: ({ params, body, ctx }) => addSurveyEvidence(deps, params.householdId, body, ctx),
  confirmSurvey: ({ params, body, ctx }) => confirmHouseholdSurvey(deps, params.householdId, body, ctx),
  determineLegality: ({ params, body, ctx }) => determineHouseLegality(deps, params.householdId, params.itemId, body, ctx),
  recordCheck: ({ params, body, ctx }) => recordMemberCheck(deps, params.householdId, { memberId: params.memberId, kind: params.kind }, body, ctx),
  raiseDispute: ({ params, body, ctx }) => raiseHouseholdDispute(deps, params.householdId, body, ctx),
  resolveDispute: ({ params, body, ctx }) => resolveHouseholdDispute(deps, params.householdId, params.disputeId, body, ctx),
  computeCompensation: ({ params, ctx }) => computeHouseholdCompensation(deps, params.householdId, ctx),
  getCompensation: ({ params, ctx }) => getHouseholdCompensation(deps, params.householdId, ctx),
  listAgreements: ({ params, ctx }) => listHouseholdAgreements(deps, params.householdId, ctx),
  signAgreement: ({ params, body, ctx }) => signHouseholdAgreement(deps, params.householdId, params.agreementId, body, ctx),
  getResettlementList: ({ params, ctx }) => getResettlementList(deps, params.projectId, params.villageGroupId, ctx),
  coReviewResettlementList: ({ params, body, ctx }) => coReviewResettlementList(deps, params.projectId, params.villageGroupId, body, ctx),
  approveResettlementList: ({ params, ctx }) => approveResettlementList(deps, params.projectId, params.villageGroupId, ctx),
  postDisclosure: ({ params, body, ctx }) => postDisclosure(deps, params.projectId, params.villageGroupId, params.disclosureId, body, ctx),
  startImport: ({ params, body, ctx }) => startSurveyImport(deps, params.projectId, body, ctx),
  getImport: ({ params, ctx }) => getSurveyImport(deps, params.projectId, params.jobId, ctx),
}, { audit: deps.uow });
