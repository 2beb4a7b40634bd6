import { Construct } from 'constructs';
import { CHINESE_FONT } from '../../../services/compensation/adapters/documents/font.ts';
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
      // The agreements' and disclosures' font, read beside the bundle (documents/font.ts).
      assets: [CHINESE_FONT.source],
    });
    new Grants(this.api, ctx).caseData().releaseWorkflow();
  }
}
