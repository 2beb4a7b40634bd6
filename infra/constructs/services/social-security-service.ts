import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/** Social security of the resettled persons: finance's subsidy transfer, HR's enrolment (seed §三(八)(十一)). */
export class SocialSecurityService extends Construct {
  readonly api: ServiceFunction;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/social-security/handlers/api.ts',
      description: 'Social security of resettled persons: subsidy transfer and pension and medical insurance enrolment',
      ...functionDefaults(ctx),
    });
    // A household's persons are read whole (no paging); the social insurance number is sealed (encrypt and keyed hash, never decrypt).
    new Grants(this.api, ctx).caseData().protectPersonalData();
  }
}
