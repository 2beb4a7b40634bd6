import { apiHandler } from '../../../shared/http/api-handler.ts';
import { registrationDeps } from '../adapters/deps.ts';
import { listRegistrations, register } from '../app/use-cases.ts';
import { routes } from '../schemas.ts';

const deps = registrationDeps();

export const handler = apiHandler(routes, {
  register: ({ params, body, ctx }) => register(deps, params.projectId, body, ctx),
  list: ({ params, query, ctx }) => listRegistrations(deps, params.projectId, query, ctx),
}, { audit: deps.uow });
