import { apiHandler } from '../../../shared/http/api-handler.ts';
import { handoverDeps } from '../adapters/deps.ts';
import { readCollectiveDistributions, recordCollectiveDistribution, requestDistributionUpload } from '../app/distribution.ts';
import {
  cancelCertificates,
  confirmHouseholdHandover,
  readHouseholdHandover,
  recordHandoverRefusal,
  recordHouseholdClearing,
  recordHouseholdHandover,
  requestHandoverUpload,
} from '../app/handover.ts';
import { routes } from '../schemas.ts';

const deps = handoverDeps();

export const handler = apiHandler(routes, {
  householdUpload: ({ params, body, ctx }) => requestHandoverUpload(deps, params.householdId, body, ctx),
  recordHandover: ({ params, body, ctx }) => recordHouseholdHandover(deps, params.householdId, body, ctx),
  confirmHandover: ({ params, body, ctx }) => confirmHouseholdHandover(deps, params.householdId, body, ctx),
  recordRefusal: ({ params, body, ctx }) => recordHandoverRefusal(deps, params.householdId, body, ctx),
  recordClearing: ({ params, body, ctx }) => recordHouseholdClearing(deps, params.householdId, body, ctx),
  cancelCertificates: ({ params, body, ctx }) => cancelCertificates(deps, params.householdId, body, ctx),
  readHandover: ({ params, ctx }) => readHouseholdHandover(deps, params.householdId, ctx),
  distributionUpload: ({ params, body, ctx }) => requestDistributionUpload(deps, params.projectId, params.villageGroupId, body, ctx),
  recordDistribution: ({ params, body, ctx }) => recordCollectiveDistribution(deps, params.projectId, params.villageGroupId, body, ctx),
  readDistributions: ({ params, ctx }) => readCollectiveDistributions(deps, params.projectId, params.villageGroupId, ctx),
}, { audit: deps.uow });
