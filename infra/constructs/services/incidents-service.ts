import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Incidents: reports, first response, classification on the leading group office's criteria, the
 * district leaders' 2-hour arrival (a watch in the deadline workflow), referrals of violent
 * resistance; petitions and disputes assigned to the district (seed §五(三), §三(三)(十四)).
 */
export class IncidentsService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/incidents/handlers/api.ts',
      description: 'Incidents and their 2-hour clock, referrals of violent resistance, petitions and disputes',
      ...functionDefaults(ctx),
    });
    // Starts (and restarts, when a new clock joins) the incident's deadline phase; releases it when the leader arrives or the class is lowered.
    new Grants(this.api, ctx).caseData().pagedLists().evidence().startWorkflow({ stop: true }).releaseWorkflow();
  }
}
