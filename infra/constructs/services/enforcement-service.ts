import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CHINESE_FONT } from '../../../shared/adapters/documents/font.ts';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Enforcement: the forced-vacating chain for households that refuse to vacate (seed §五(一)5) with
 * its instruments, service, remedies, the court and the joint action; urban management's
 * illegal-building chain (§三(九)(十)). Its agency deadlines are watches in the deadline workflow.
 */
export class EnforcementService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/enforcement/handlers/api.ts',
      description: 'Forced vacating and illegal-building chains: instruments (PDF), service, remedies, court, joint action, execution',
      ...functionDefaults(ctx),
      // An instrument is rendered (pdfkit, the embedded font) and its evidence verified in the request.
      timeout: Duration.seconds(30),
      memorySize: 1024,
      assets: [CHINESE_FONT.source],
    });
    // Starts, finds and restarts (re-counted instants) the chain's deadline phases; releases them when met or cancelled.
    new Grants(this.api, ctx).caseData().pagedLists().evidence().startWorkflow({ stop: true }).releaseWorkflow();
  }
}
