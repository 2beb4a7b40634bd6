import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** Projects, expropriation notices, postings with evidence, the timeline, agency inboxes. */
export class NoticesService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/notices/handlers/api.ts',
      description: 'Projects, expropriation notices, postings with evidence, timeline, inbox',
      ...functionDefaults(ctx),
      // Verifying a posting heads each of its evidence files in the bucket (up to 20).
      timeout: Duration.seconds(30),
    });
    new Grants(this.api, ctx).caseData().pagedLists().evidence().startWorkflow();
  }
}
