import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** OpenAPI, health, the legal calendar and its holiday data, performance records. */
export class PlatformService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/platform/handlers/api.ts',
      description: 'OpenAPI, health, legal calendar and its holiday data, performance records',
      ...functionDefaults(ctx),
      timeout: Duration.seconds(30),
    });
    new Grants(this.api, ctx).caseData().pagedLists().startMaintenance().readinessChecks();
  }
}
