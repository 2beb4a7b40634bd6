import { apiHandler } from '../../../shared/http/api-handler.ts';
import { paymentsApiDeps } from '../adapters/deps.ts';
import { confirmAccountDeposit, readAccount, reconcileAccount, recordAccountDeposit, requestVoucherUpload, reverseAccountDeposit } from '../app/account.ts';
import { receiveBankCallback } from '../app/bank-outcome.ts';
import { correctRejectedPayment, instructHouseholdPayments, readHouseholdPayments, restartPaymentWorkflow } from '../app/payments.ts';
import { routes } from '../schemas.ts';

const deps = paymentsApiDeps();

export const handler = apiHandler(routes, {
  voucherUpload: ({ params, body, ctx }) => requestVoucherUpload(deps, params.projectId, body, ctx),
  deposit: ({ params, body, ctx }) => recordAccountDeposit(deps, params.projectId, body, ctx),
  confirm: ({ params, ctx }) => confirmAccountDeposit(deps, params.projectId, params.depositId, ctx),
  reverse: ({ params, body, ctx }) => reverseAccountDeposit(deps, params.projectId, params.depositId, body, ctx),
  read: ({ params, query, ctx }) => readAccount(deps, params.projectId, query, ctx),
  reconcile: ({ params, ctx }) => reconcileAccount(deps, params.projectId, ctx),
  instruct: ({ params, body, ctx }) => instructHouseholdPayments(deps, params.householdId, body, ctx),
  correct: ({ params, body, ctx }) => correctRejectedPayment(deps, params.paymentId, body, ctx),
  restart: ({ params, ctx }) => restartPaymentWorkflow(deps, params.paymentId, ctx),
  householdPayments: ({ params, query, ctx }) => readHouseholdPayments(deps, params.householdId, query, ctx),
  // Authenticated by the bank's signature over the exact body, not by an agency token.
  bankCallback: ({ raw, ctx }) => receiveBankCallback(deps, raw, ctx),
}, { audit: deps.uow });
