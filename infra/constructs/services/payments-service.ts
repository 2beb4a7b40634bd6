import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** Payments: the project's dedicated account (deposits with their verified vouchers, finance's confirmation). */
export class PaymentsService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/payments/handlers/api.ts',
      description: 'Dedicated expropriation account: deposits and their confirmation',
      ...functionDefaults(ctx),
    });
    // The account is read whole (no paging cursors); voucher scans go the presigned evidence path.
    new Grants(this.api, ctx).caseData().evidence();
  }
}
