import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { accessLogBucket } from './access-log-bucket.ts';
import { nagNames } from './service-context.ts';

/** Named, like the evidence bucket, so the stack deploying the files needs no cross-stack token for it. */
export const consoleBucketName = (stage: string, account: string, region: string) => `land-exprop-console-${stage}-${account}-${region}`;

/** The origins the console's pages may talk to, besides its own. */
export interface ConsoleOrigins {
  /** The HTTP API (an exact origin, or a host wildcard: see the console stack). */
  api: string;
  /** The evidence bucket's regional endpoint: presigned uploads, and photos and videos shown. */
  evidence: string;
  /** The OIDC issuer: discovery, token and sign-in form posts. */
  issuer: string;
}

/**
 * The console's Content-Security-Policy: no inline script or style, no framing, nothing fetched
 * but from the console itself, the API, the evidence bucket and the identity provider.
 */
export function consoleContentSecurityPolicy(o: ConsoleOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${o.evidence}`,
    `media-src 'self' blob: ${o.evidence}`,
    // The agreement's PDF is previewed in a frame, straight from the evidence bucket.
    `frame-src ${o.evidence}`,
    `connect-src 'self' ${o.api} ${o.evidence} ${o.issuer}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${o.issuer}`,
    "object-src 'none'",
  ].join('; ');
}

/**
 * The browser console's home in AWS: a private bucket that only CloudFront reads (Origin Access
 * Control), served over https with the security headers the console is written for. The files are
 * put there by `ConsoleContent`, from the stack that knows the API's URL.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`: what browsers send as `Origin`, for the API's and the bucket's CORS. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: { bucketName: string; origins: ConsoleOrigins }) {
    super(scope, id);
    // The site's own server access logs and CloudFront's.
    const logs = accessLogBucket(this, 'Logs', 'the console bucket and distribution');

    // SSE-S3, not KMS: the files are public by purpose (every visitor downloads them), and
    // CloudFront's OAC reads SSE-S3 objects without a key policy of its own.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Land expropriation console: CSP, HSTS, no sniffing, no referrer, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.origins), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Land expropriation agency console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Applies once a custom domain and certificate are configured; the default certificate
      // of *.cloudfront.net has its own policy (acknowledged below).
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // Honours the objects' Cache-Control (no-cache for index.html and config.json,
        // a year for the hashed bundles), so a deployment needs no invalidation.
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason: 'No custom domain is configured, so the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront sets; TLSv1.2_2021 is configured and applies once a domain and certificate are added.',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Officers of the city work from anywhere (field visits, home); the console is static files and every API call needs a token of the city identity provider, so there is no geography to restrict.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves static files only (no forms, no server code); the API it calls is throttled by API Gateway and requires the city identity provider\'s tokens. A WAF web ACL (global, us-east-1) can be attached when the city requires one.',
      },
    );
  }
}

/** What the console reads from `config.json` next to its index.html. */
export interface ConsoleConfig {
  apiBase: string;
  issuer: string;
  clientId: string;
  scope: string;
}

/** What the console build names `app-…-<hash>` (entry, chunks, stylesheet): their content never changes under a name. */
const HASHED = 'app-*';

/**
 * Puts the console's build output and its `config.json` into the site's bucket: the hashed bundles
 * cached for a year, everything else (index.html, config.json) revalidated on every load.
 */
export class ConsoleContent extends Construct {
  /** `stage`: names the console bucket (`consoleBucketName`) in this stack's account and region. */
  constructor(scope: Construct, id: string, props: { stage: string; distDir: string; config: ConsoleConfig }) {
    super(scope, id);
    if (!existsSync(join(props.distDir, 'index.html'))) {
      throw new Error(`console build output not found: ${props.distDir} has no index.html. Build the console first (node console/build.ts), then synthesize.`);
    }
    const stack = Stack.of(this);
    const bucket = s3.Bucket.fromBucketName(this, 'Bucket', consoleBucketName(props.stage, stack.account, stack.region));
    const files = s3deploy.Source.asset(props.distDir);
    const bundles = new s3deploy.BucketDeployment(this, 'Bundles', {
      sources: [files],
      destinationBucket: bucket,
      exclude: ['*'],
      include: [HASHED],
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
      // Kept after a deployment: a page loaded just before it still fetches its own bundles.
      prune: false,
    });
    const pages = new s3deploy.BucketDeployment(this, 'Pages', {
      // The stage's config.json wins over any the build left in the directory.
      sources: [files, s3deploy.Source.jsonData('config.json', props.config)],
      destinationBucket: bucket,
      exclude: [HASHED],
      cacheControl: [s3deploy.CacheControl.noCache()],
      prune: true,
    });
    // index.html names the new bundles: they must be there before it is.
    pages.node.addDependency(bundles);
    acknowledgeDeploymentHandler(stack, props.stage);
  }
}

/**
 * The BucketDeployment handler is CDK's singleton Lambda (Python with the AWS CLI layer), created
 * at the stack's root and run by CloudFormation during deployments only: it copies the asset zips
 * from the bootstrap bucket into the console bucket.
 */
function acknowledgeDeploymentHandler(stack: Stack, stage: string): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment handler not found at the stack root');
  const { region, account } = nagNames(stack);
  const qualifier = (stack.synthesizer instanceof DefaultStackSynthesizer ? stack.synthesizer.bootstrapQualifier : undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const copies = 'The CDK BucketDeployment handler (run by CloudFormation during deployments only) copies the console files';
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The CDK BucketDeployment handler (run during deployments only) writes its logs with the AWS managed basic execution policy; CDK creates its role.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: "The CDK BucketDeployment handler's runtime is chosen and updated by aws-cdk-lib together with its code; it runs during deployments only.",
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${copies}: it reads the asset zips from the CDK bootstrap bucket and lists what the console bucket holds (CDK's grantRead/grantReadWrite).`,
    })),
    ...['s3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${copies}: it removes files no longer in the build (prune) and aborts failed multipart uploads, in the console bucket only.`,
    })),
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*]`,
      reason: `${copies} from this account's CDK bootstrap asset bucket, where the zips have content-hashed names.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${consoleBucketName(stage, account, region)}/*]`,
      reason: `${copies} into the console bucket, every key of which is a console file.`,
    },
  );
}
