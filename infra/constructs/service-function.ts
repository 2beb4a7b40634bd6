import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** How every function is bundled; the bench bundles its SDK-only floor with the same options. */
export const BUNDLING = {
  target: 'node22',
  minify: true,
  // Errors are named by their class (shared/errors.ts: `new.target.name`), and Step Functions
  // retries and catches by that name: minified class names would make 'ConflictError' an 'ur'.
  keepNames: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies need a require (LOCAL-CLOUD.md).
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
};

export interface ServiceFunctionProps {
  /** Handler file, relative to the repository root. */
  entry: string;
  description: string;
  environment: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  /** X-Ray active tracing (default on); the stack turns it off where the partition lacks it (AWS China). */
  tracing?: boolean;
  /** CloudWatch namespace of the function's embedded-format metrics. */
  metricsNamespace?: string;
  /**
   * Files (relative to the repository root) the code reads at run time, copied beside the bundle's
   * `index.mjs` under their own names: the code finds them with `new URL('./<name>', import.meta.url)`.
   */
  assets?: string[];
}

/**
 * A Lambda function with the house defaults: Node.js 22 on arm64, one esbuild ESM bundle with the
 * AWS SDK inside (pinned, measured), its own log group and its own role that can write only there.
 * Permissions beyond logging are granted by the stack, statement by statement.
 */
export class ServiceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${id}: writes its own logs; other permissions granted explicitly`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${REPO}${props.entry}`,
      projectRoot: REPO,
      depsLockFilePath: `${REPO}package-lock.json`,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      description: props.description,
      role: this.role,
      logGroup,
      // No --enable-source-maps: it made the first thrown error cost ~0.4 s (decision 0010). The
      // map stays in the artifact for resolving a stack trace offline.
      environment: { POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'LandExpropriation', ...props.environment },
      tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      bundling: {
        ...BUNDLING,
        format: nodejs.OutputFormat.ESM,
        externalModules: [],
        ...(props.assets?.length ? { commandHooks: copyIntoBundle(props.assets) } : {}),
      },
    });
    if (props.tracing !== false) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
      });
    }
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is the runtime this system targets and tests on; it is also offered in the AWS China regions. Moving runtime is a deliberate, tested change.',
    });
  }
}

/** Bundling hooks that copy run-time files into the asset (so into cdk.out and the Lambda package). */
function copyIntoBundle(assets: string[]): nodejs.ICommandHooks {
  for (const asset of assets) {
    if (!existsSync(`${REPO}${asset}`)) throw new Error(`ServiceFunction asset not found: ${asset}`);
  }
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => assets.map((asset) => `cp "${inputDir}/${asset}" "${outputDir}/${basename(asset)}"`),
  };
}
