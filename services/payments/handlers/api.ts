import { apiHandler } from '../../../shared/http/api-handler.ts';
import { paymentsDeps } from '../adapters/deps.ts';
import { confirmAccountDeposit, readAccount, recordAccountDeposit, requestVoucherUpload } from '../app/account.ts';
import { routes } from '../schemas.ts';

const deps = paymentsDeps();

export const handler = apiHandler(routes, {
  voucherUpload: ({ params, body, ctx }) => requestVoucherUpload(deps, params.projectId, body, ctx),
  deposit: ({ params, body, ctx }) => recordAccountDeposit(deps, params.projectId, body, ctx),
  confirm: ({ params, ctx }) => confirmAccountDeposit(deps, params.projectId, params.depositId, ctx),
  read: ({ params, query, ctx }) => readAccount(deps, params.projectId, query, ctx),
}, { audit: deps.uow });
