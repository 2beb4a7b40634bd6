import { apiHandler } from '../../../shared/http/api-handler.ts';
import { compensationDeps } from '../adapters/deps.ts';
import { draftProjectPlan, getProjectPlan, publishProjectPlan, reviewProjectPlan } from '../app/use-cases.ts';
import { routes } from '../schemas.ts';

const deps = compensationDeps();

export const handler = apiHandler(routes, {
  draftPlan: ({ params, body, ctx }) => draftProjectPlan(deps, params.projectId, body, ctx),
  getPlan: ({ params, ctx }) => getProjectPlan(deps, params.projectId, ctx),
  reviewPlan: ({ params, body, ctx }) => reviewProjectPlan(deps, params.projectId, body, ctx),
  publishPlan: ({ params, ctx }) => publishProjectPlan(deps, params.projectId, ctx),
}, { audit: deps.uow });
