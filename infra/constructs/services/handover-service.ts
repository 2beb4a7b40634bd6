import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** Handover: vacating and handover of the land, clearing, refusals, certificate cancellation, the collectives' distribution disclosures. */
export class HandoverService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/handover/handlers/api.ts',
      description: 'Handover of the land, clearing, refusals, certificate cancellation and collective distribution disclosures',
      ...functionDefaults(ctx),
    });
    // Files are read whole (no paging cursors); photos and scans go the presigned evidence path.
    new Grants(this.api, ctx).caseData().evidence();
  }
}
