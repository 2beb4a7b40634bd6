import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CHINESE_FONT } from '../../../shared/adapters/documents/font.ts';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Oversight: the leading group's joint meetings, their resolutions (each an agency deadline in the
 * deadline workflow), the monthly meeting duty and the plan approvals (seed §四(一)); the districts'
 * policy queries (§三(三)); the scorecard (§四(三)); supervision — the report, assignments, summons (§四(四)).
 */
export class OversightService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/oversight/handlers/api.ts',
      description: 'Joint meetings and resolutions, policy queries, the scorecard (.xlsx) and supervision (report PDF, assignments, summons)',
      ...functionDefaults(ctx),
      // The scorecard workbook and the supervision report (pdfkit, the embedded font) are made in the request.
      timeout: Duration.seconds(30),
      memorySize: 1024,
      assets: [CHINESE_FONT.source],
    });
    // Minutes, scorecards and reports are the leading group's own files (oversight/); the meeting duty,
    // resolutions and assignments are watched (restarted when the set changes), released when met or stopped.
    new Grants(this.api, ctx).caseData().pagedLists().evidence('oversight').startWorkflow({ stop: true }).releaseWorkflow();
  }
}
