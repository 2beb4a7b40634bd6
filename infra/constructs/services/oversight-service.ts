import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Oversight: the leading group's joint meetings, their resolutions (each an agency deadline in the
 * deadline workflow), the monthly meeting duty and the plan approvals (seed §四(一)).
 */
export class OversightService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/oversight/handlers/api.ts',
      description: 'Joint meetings, resolutions and their deadlines, the monthly meeting duty, plan approvals',
      ...functionDefaults(ctx),
    });
    // Minutes are the leading group's own evidence (oversight/); the meeting duty and resolutions are
    // watched (restarted when the set of months changes) and released when met or stopped.
    new Grants(this.api, ctx).caseData().pagedLists().evidence('oversight').startWorkflow({ stop: true }).releaseWorkflow();
  }
}
