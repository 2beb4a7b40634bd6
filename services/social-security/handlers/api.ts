import { apiHandler } from '../../../shared/http/api-handler.ts';
import { socialSecurityDeps } from '../adapters/deps.ts';
import { readSocialSecurity, recordPersonEnrolment, recordSubsidyTransfer } from '../app/social-security.ts';
import { routes } from '../schemas.ts';

const deps = socialSecurityDeps();

export const handler = apiHandler(routes, {
  transfer: ({ params, body, ctx }) => recordSubsidyTransfer(deps, params.householdId, params.memberId, body, ctx),
  enrolment: ({ params, body, ctx }) => recordPersonEnrolment(deps, params.householdId, params.memberId, body, ctx),
  read: ({ params, ctx }) => readSocialSecurity(deps, params.householdId, ctx),
}, { audit: deps.uow });
