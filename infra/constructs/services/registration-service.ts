import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** Compensation registration within the notice's window. */
export class RegistrationService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/registration/handlers/api.ts',
      description: 'Compensation registration within the notice window',
      ...functionDefaults(ctx),
    });
    new Grants(this.api, ctx).caseData().pagedLists().protectPersonalData();
  }
}
