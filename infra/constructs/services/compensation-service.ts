import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** The compensation and resettlement implementation plan: one locked standard per project. */
export class CompensationService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/compensation/handlers/api.ts',
      description: 'Compensation and resettlement implementation plan, one standard per project',
      ...functionDefaults(ctx),
    });
    new Grants(this.api, ctx).caseData().releaseWorkflow();
  }
}
