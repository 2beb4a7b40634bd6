import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';
import { ConsoleSite, consoleBucketName } from '../constructs/console-site.ts';
import { evidenceBucketName } from './data-stack.ts';

/**
 * The agency console's bucket and distribution, deployed before the data and service stacks: the
 * evidence bucket's CORS and the API's name the distribution's origin, so it must exist first. The
 * files themselves (and config.json, which names the API) are deployed by the service stack.
 */
export class ConsoleStack extends Stack {
  readonly site: ConsoleSite;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.site = new ConsoleSite(this, 'Site', {
      bucketName: consoleBucketName(config.stage, this.account, this.region),
      origins: {
        // The API's id exists only once the API does, and the API's CORS needs this distribution's
        // domain: one side must not refer to the other. The CSP admits this region's API Gateway
        // hosts; the CORS rules (API and evidence) name this exact origin.
        api: `https://*.execute-api.${this.region}.${this.urlSuffix}`,
        // The bucket's name is derived, so the CSP names it without a reference to the data stack
        // (whose CORS rule refers to this one). Virtual-hosted, regional: what the SDK presigns.
        evidence: `https://${evidenceBucketName(config.stage, this.account, this.region)}.s3.${this.region}.${this.urlSuffix}`,
        issuer: new URL(config.issuer).origin,
      },
    });
    new CfnOutput(this, 'ConsoleUrl', { value: `${this.site.origin}/` });
  }
}
