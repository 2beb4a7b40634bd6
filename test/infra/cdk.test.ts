import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { stageConfig } from '../../infra/config.ts';
import { ACCESS_LOG_FORMAT, ROUTE_THROTTLES } from '../../infra/stacks/service-stack.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';

/** A console build's output, as console/build.ts leaves it: the tests need no real build. */
const CONSOLE_DIST = mkdtempSync(join(tmpdir(), 'console-dist-'));
writeFileSync(join(CONSOLE_DIST, 'index.html'), '<!doctype html><link rel="stylesheet" href="app-3F2A.css"><script type="module" src="app-9C1D.js"></script>');
writeFileSync(join(CONSOLE_DIST, 'app-9C1D.js'), 'export {};');
writeFileSync(join(CONSOLE_DIST, 'app-3F2A.css'), 'body{}');

/** Synthesizes the app as `cdk synth` would, without bundling (assertions need no code). */
function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], consoleDist: CONSOLE_DIST, ...context } });
  const stacks = buildApp(app);
  // synth() itself fails on any unacknowledged finding (the plugin is registered by buildApp);
  // running the pack again here makes the result visible to assertions.
  app.synth();
  const nag = new AwsSolutionsChecks(app).validateScope(app);
  return {
    console: Template.fromStack(stacks.console),
    data: Template.fromStack(stacks.data),
    service: Template.fromStack(stacks.service),
    outdir,
    nag,
    acknowledgements: acknowledgementsOf(app),
  };
}

/** Every acknowledged cdk-nag finding in the tree, with its written reason. */
function acknowledgementsOf(root: IConstruct): Array<{ id: string; reason: string; path: string }> {
  const found: Array<{ id: string; reason: string; path: string }> = [];
  const walk = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ id, reason: typeof reason === 'string' ? reason : JSON.stringify(reason), path: node.node.path });
      }
    }
    node.node.children.forEach(walk);
  };
  walk(root);
  return found;
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const statementsOf = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

const CITY_IDP = 'https://idp.yongzhou.example/realms/gov';
/** The console distribution's https origin as the data and service stacks import it from the console stack. */
const DISTRIBUTION_ORIGIN = { 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': expect.stringMatching(/^LandExpropriation-dev-Console:ExportsOutputFnGetAttSiteDistribution\w+DomainName\w+$/) }]] };

let global: ReturnType<typeof synth>;
beforeAll(() => {
  global = synth();
});

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding, and every acknowledgement gives a reason', () => {
    expect(global.nag.violations).toEqual([]);
    expect(global.nag.success).toBe(true);
    const nagAcknowledgements = global.acknowledgements.filter((a) => a.id.includes('AwsSolutions'));
    expect(nagAcknowledgements.length).toBeGreaterThan(0);
    for (const acknowledged of nagAcknowledgements) expect(acknowledged.reason.length, acknowledged.id).toBeGreaterThan(30);
  });
});

describe('functions', () => {
  it('one per service entry point, Node.js 22 on arm64', () => {
    const functions = global.service.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x', Architectures: ['arm64'] } });
    const descriptions = Object.values(functions).map((f) => (f as { Properties: { Description: string } }).Properties.Description);
    expect(descriptions).toHaveLength(14);
    // The 15th is CDK's BucketDeployment handler (Python), which copies the console's files at deployment.
    const others = Object.values(global.service.findResources('AWS::Lambda::Function')).filter((f) => !descriptions.includes((f as { Properties: { Description?: string } }).Properties.Description!));
    expect(others).toHaveLength(1);
    expect(others[0]).toMatchObject({ Properties: { Handler: 'index.handler', Runtime: expect.stringMatching(/^python/) } });
  });

  it('least privilege: no wildcard action, no "*" resource for any function', () => {
    for (const statement of statementsOf(global.service)) {
      expect(actions(statement).some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
    }
    const functionPolicies = Object.entries(global.service.findResources('AWS::IAM::Policy')).filter(([id]) => !id.includes('StateMachine'));
    for (const [, policy] of functionPolicies) {
      for (const s of (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement) {
        // Active tracing's X-Ray actions have no resource-level permissions; nothing else may use "*".
        if (s.Resource === '*') expect(actions(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        else expect(s.Resource).not.toBe('*');
      }
    }
  });

  it('the notices, compensation, payments, handover, enforcement and incidents services can put and read evidence under projects/, oversight under oversight/, and tell a missing object (ListBucket); nothing can delete it', () => {
    const all = statementsOf(global.service);
    const evidence = all.filter((s) => JSON.stringify(s.Resource).includes('land-exprop-evidence'));
    // Put, get and ListBucket for the notices service, the compensation service's three functions
    // (uploads, documents, workbooks), the payments service (voucher scans) and the handover service
    // (handover, refusal and clearing photos, distribution disclosures), the enforcement service
    // (instruments, service proof, rulings, execution videos), the incidents service (scene and
    // on-site photos), the oversight service (minutes, scorecards, supervision reports — under
    // oversight/ only); ListBucket alone for the platform's readiness check (HeadBucket).
    const each = ['s3:GetObject', 's3:ListBucket', 's3:PutObject'];
    expect(evidence.flatMap(actions).sort()).toEqual([...each, ...each, ...each, ...each, ...each, ...each, ...each, ...each, ...each, 's3:ListBucket'].sort());
    const objectGrants = evidence.filter((s) => actions(s).includes('s3:PutObject')).map((s) => JSON.stringify(s.Resource));
    expect(objectGrants.filter((r) => r.includes('/oversight/*'))).toHaveLength(1);
    expect(objectGrants.filter((r) => r.includes('/projects/*'))).toHaveLength(8);
    // Only the console's deployment handler deletes objects (files gone from the build), and only in the console bucket.
    const deletes = all.filter((s) => actions(s).some((a) => a.startsWith('s3:Delete')));
    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(deletes[0]!.Resource)).toContain(':s3:::land-exprop-console-dev-');
    expect(JSON.stringify(deletes[0]!.Resource)).not.toContain('land-exprop-evidence');
  });

  it('the readiness check may head the evidence bucket and describe the one state machine, nothing more', () => {
    const platform = Object.entries(global.service.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('PlatformApi'))
      .flatMap(([, p]) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    const s3 = platform.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap(actions)).toEqual(['s3:ListBucket']);
    expect(JSON.stringify(s3[0]!.Resource)).not.toContain('/');
    const describe = platform.filter((s) => actions(s).includes('states:DescribeStateMachine'));
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(describe[0]!.Resource)).toContain(':stateMachine:');
    expect(JSON.stringify(describe[0]!.Resource)).not.toContain('*');
  });

  it('the audit trail can only be appended to: no function may update or delete it; nothing is ever deleted', () => {
    const statements = statementsOf(global.service);
    const all = statements.flatMap(actions);
    expect(all).toContain('dynamodb:PutItem');
    for (const forbidden of ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*']) expect(all).not.toContain(forbidden);
    // UpdateItem only for atomic counters on the cases table — never on the audit table.
    const updates = statements.filter((s) => actions(s).includes('dynamodb:UpdateItem'));
    expect(updates.length).toBeGreaterThan(0);
    for (const s of updates) expect(JSON.stringify(s.Resource)).not.toMatch(/Audit/);
    global.data.hasResourceProperties('AWS::DynamoDB::Table', {
      ResourcePolicy: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: Match.arrayWith(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']) })]) } },
    });
  });

  it('on the audit table a function may only PutItem, and GetItem of chain heads (AUDITHEAD#…) alone', () => {
    const onAudit = statementsOf(global.service).filter((s) => JSON.stringify(s.Resource).match(/Audit/));
    expect(onAudit.length).toBeGreaterThan(0);
    for (const s of onAudit as Array<Statement & { Condition?: unknown }>) {
      expect(s.Effect).toBe('Allow');
      if (actions(s).includes('dynamodb:GetItem')) {
        expect(actions(s)).toEqual(['dynamodb:GetItem']);
        expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITHEAD#*'] } });
      } else {
        expect(actions(s)).toEqual(['dynamodb:PutItem']);
      }
    }
    // Every function that writes case data appends to the trail, so every one reads heads.
    const puts = onAudit.filter((s) => actions(s).includes('dynamodb:PutItem')).length;
    expect(onAudit.filter((s) => actions(s).includes('dynamodb:GetItem'))).toHaveLength(puts);
  });
});

describe('audit table kept as deployed (decision 0012)', () => {
  const auditTable = () => Object.values(global.data.findResources('AWS::DynamoDB::Table')).find((t) => JSON.stringify(t).includes('AuditIsAppendOnly')) as {
    Properties: { ResourcePolicy: { PolicyDocument: { Statement: Array<{ Sid: string; Effect: string; Principal: unknown; Action: string[]; Condition?: unknown }> } } };
  };

  it('denies changing its policy, TTL, PITR, the table itself and deleting it to everyone but the CDK CloudFormation execution role', () => {
    const deny = auditTable().Properties.ResourcePolicy.PolicyDocument.Statement.find((s) => s.Sid === 'AuditTableChangesOnlyByDeployment')!;
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect([...deny.Action].sort()).toEqual(
      ['dynamodb:DeleteResourcePolicy', 'dynamodb:DeleteTable', 'dynamodb:PutResourcePolicy', 'dynamodb:UpdateContinuousBackups', 'dynamodb:UpdateTable', 'dynamodb:UpdateTimeToLive'].sort(),
    );
    expect(deny.Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/cdk-*-cfn-exec-role-*']] } },
    });
    // Never a TTL: its deletions are not subject to the resource policy.
    expect(JSON.stringify(auditTable())).not.toContain('TimeToLiveSpecification');
  });

  it('is backed up daily by AWS Backup into a locked vault of its own, and nothing else is selected', () => {
    global.data.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ ScheduleExpression: 'cron(0 18 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } })] },
    });
    const selections = Object.values(global.data.findResources('AWS::Backup::BackupSelection')) as Array<{ Properties: { BackupSelection: { Resources: unknown[] } } }>;
    expect(selections).toHaveLength(1);
    const resources = selections[0]!.Properties.BackupSelection.Resources;
    expect(resources).toHaveLength(1);
    expect(JSON.stringify(resources)).toMatch(/"Audit3D8ADE0A"/);
  });

  it('dev: governance lock for 35 days; any other stage: compliance for 10 years unless configured', () => {
    const lock = (t: Template) => (Object.values(t.findResources('AWS::Backup::BackupVault'))[0] as { Properties: { LockConfiguration: unknown } }).Properties.LockConfiguration;
    expect(lock(global.data)).toEqual({ MinRetentionDays: 35 });
    const prod = synth({ stage: 'prod', issuer: 'https://idp.yongzhou.example/realms/gov', bankUrl: 'https://pay.bank.example.cn/v1' });
    expect(lock(prod.data)).toEqual({ MinRetentionDays: 3650, ChangeableForDays: 3 });
    prod.data.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 3650 } })] } });
    const staging = synth({ stage: 'staging', issuer: 'https://idp.yongzhou.example/realms/gov', bankUrl: 'https://pay.bank.example.cn/v1', auditBackupLock: 'governance', auditBackupRetentionDays: '90' });
    expect(lock(staging.data)).toEqual({ MinRetentionDays: 90 });
    expect(() => synth({ auditBackupLock: 'none' })).toThrow();
  });
});

describe('data', () => {
  it('tables: point-in-time recovery and deletion protection, KMS encrypted, with the cross-case index', () => {
    const tables = global.data.findResources('AWS::DynamoDB::Table', {
      Properties: {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
      },
    });
    expect(Object.keys(tables)).toHaveLength(2);
  });

  it('evidence bucket: versioned, Object Lock, KMS, public access blocked, TLS only', () => {
    global.data.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      // The test app is stage dev: GOVERNANCE for a day (see "stages" for prod's COMPLIANCE).
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    global.data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('evidence bucket: a CORS rule for browser uploads only from the console\'s distribution and the configured console origins', () => {
    const evidenceBucket = (template: Template) =>
      (Object.values(template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }))[0] as { Properties: Record<string, unknown> }).Properties;
    expect(evidenceBucket(global.data).CorsConfiguration).toMatchObject({ CorsRules: [{ AllowedOrigins: [DISTRIBUTION_ORIGIN], AllowedMethods: ['PUT'] }] });
    const withConsole = synth({ consoleOrigins: 'https://console.yongzhou.example, https://backup.yongzhou.example:8443' });
    expect(evidenceBucket(withConsole.data).CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedOrigins: ['https://console.yongzhou.example', 'https://backup.yongzhou.example:8443', DISTRIBUTION_ORIGIN],
          AllowedMethods: ['PUT'],
          AllowedHeaders: ['content-type', 'if-none-match', 'x-amz-checksum-sha256'],
          ExposedHeaders: ['ETag', 'x-amz-version-id'],
          MaxAge: 3000,
        },
      ],
    });
    expect(withConsole.nag.violations).toEqual([]);
    expect(evidenceBucket(synth({ consoleOrigins: ['http://localhost:5173'] }).data).CorsConfiguration).toMatchObject({ CorsRules: [{ AllowedOrigins: ['http://localhost:5173', DISTRIBUTION_ORIGIN] }] });
    for (const origin of ['http://console.yongzhou.example', 'https://console.yongzhou.example/', 'https://console.yongzhou.example/app', '*', 'console.yongzhou.example']) {
      expect(() => synth({ consoleOrigins: origin }), origin).toThrow(/consoleOrigins: .* is not an https origin/);
    }
    expect(() => synth({ stage: 'prod', issuer: 'https://idp.yongzhou.example', consoleOrigins: 'http://localhost:5173' })).toThrow(/dev stage only/);
  });

  it('alerts topic: KMS encrypted', () => {
    global.data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

/** A template string with its `Ref`s written as `<Ref>`, as cdk-nag names them. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(joined).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}

describe('console (bucket, CloudFront, files)', () => {
  const only = (template: Template, type: string) => {
    const found = Object.entries(template.findResources(type)) as Array<[string, Resource]>;
    expect(found, type).toHaveLength(1);
    return found[0]!;
  };
  const csp = (template: Template) =>
    joined((only(template, 'AWS::CloudFront::ResponseHeadersPolicy')[1].Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } }).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  const evidence = 'https://land-exprop-evidence-dev-<AWS::AccountId>-<AWS::Region>.s3.<AWS::Region>.<AWS::URLSuffix>';

  it('a private bucket, versioned, encrypted, TLS only, access-logged, that only this distribution reads (Origin Access Control)', () => {
    const buckets = Object.entries(global.console.findResources('AWS::S3::Bucket')) as Array<[string, Resource]>;
    expect(buckets.map(([id]) => id).sort()).toEqual(['SiteBucket978D4AEB', 'SiteLogsBCCC85C3']);
    const site = buckets.find(([id]) => id.startsWith('SiteBucket'))![1].Properties;
    expect(joined(site.BucketName)).toBe('land-exprop-console-dev-<AWS::AccountId>-<AWS::Region>');
    expect(site).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: 'SiteLogsBCCC85C3' }, LogFilePrefix: 'bucket/' },
    });
    const policy = Object.values(global.console.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: 'SiteBucket978D4AEB' } } }))[0] as Resource;
    const statements = (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement;
    expect(statements.find((st) => st.Effect === 'Deny')).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const reads = statements.filter((st) => st.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(reads[0]!.Condition)).toContain('SiteDistribution390DED28');
    global.console.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' } });
  });

  it('a distribution: index.html at the root, https only, HTTP/2 and 3, logged, caching as the objects say, the security headers on every answer', () => {
    const [, distribution] = only(global.console, 'AWS::CloudFront::Distribution');
    const [headersId] = only(global.console, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(distribution.Properties.DistributionConfig).toMatchObject({
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      Logging: { Bucket: { 'Fn::GetAtt': ['SiteLogsBCCC85C3', 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD'],
        // CachingOptimized: honours Cache-Control from the bucket's objects.
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        ResponseHeadersPolicyId: { Ref: headersId },
      },
    });
    global.console.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['SiteDistribution390DED28', 'DomainName'] }, '/']] } });
  });

  it('the CSP names the evidence bucket (images, media, the PDF preview\'s frame), this region\'s API Gateway and the issuer\'s origin; HSTS, nosniff, no referrer, no framing', () => {
    expect(csp(global.console)).toBe(
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        `img-src 'self' data: blob: ${evidence}`,
        `media-src 'self' blob: ${evidence}`,
        `frame-src ${evidence}`,
        `connect-src 'self' https://*.execute-api.<AWS::Region>.<AWS::URLSuffix> ${evidence} http://localhost:3000`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self' http://localhost:3000",
        "object-src 'none'",
      ].join('; '),
    );
    // The issuer's origin, not its path: a CSP source with a path would admit that path only.
    const city = csp(synth({ issuer: CITY_IDP }).console);
    expect(city).toContain(`${evidence} https://idp.yongzhou.example; frame-ancestors`);
    expect(city).toContain("form-action 'self' https://idp.yongzhou.example;");
    const [, headers] = only(global.console, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect((headers.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: unknown }).SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
    });
  });

  it('the API admits the console\'s origin (and the configured ones) with the route table\'s methods and the two headers the console sends', () => {
    const cors = (template: Template) => only(template, 'AWS::ApiGatewayV2::Api')[1].Properties.CorsConfiguration as Record<string, unknown>;
    expect(cors(global.service)).toEqual({
      AllowOrigins: [DISTRIBUTION_ORIGIN],
      AllowMethods: [...new Set(ALL_ROUTES.map((route) => route.method))],
      AllowHeaders: ['authorization', 'content-type'],
      MaxAge: 3600,
    });
    expect(cors(synth({ consoleOrigins: 'https://console.yongzhou.example' }).service).AllowOrigins).toEqual([DISTRIBUTION_ORIGIN, 'https://console.yongzhou.example']);
  });

  it('deploys the build: hashed bundles cached for a year and kept, the rest (index.html, config.json) revalidated, after the bundles', () => {
    const deployments = Object.entries(global.service.findResources('Custom::CDKBucketDeployment')) as Array<[string, Resource]>;
    expect(deployments).toHaveLength(2);
    const [bundlesId, bundles] = deployments.find(([id]) => id.startsWith('ConsoleBundles'))!;
    const [, pages] = deployments.find(([id]) => id.startsWith('ConsolePages'))!;
    expect(bundles.Properties).toMatchObject({ Exclude: ['*'], Include: ['app-*'], Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(pages.Properties).toMatchObject({ Exclude: ['app-*'], Prune: true, SystemMetadata: { 'cache-control': 'no-cache' } });
    expect(pages.Properties.Include).toBeUndefined();
    expect(pages.DependsOn).toContain(bundlesId);
    for (const [, deployment] of deployments) expect(joined(deployment.Properties.DestinationBucketName)).toBe('land-exprop-console-dev-<AWS::AccountId>-<AWS::Region>');
  });

  it('config.json names the deployed API, the stage\'s issuer, its first audience as client id, and openid with the API scope', () => {
    const custom = synth({ issuer: CITY_IDP, audience: 'land-console,land-api', apiScope: 'land/api' });
    const pages = Object.entries(custom.service.findResources('Custom::CDKBucketDeployment')).find(([id]) => id.startsWith('ConsolePages'))![1] as Resource;
    const key = String((pages.Properties.SourceObjectKeys as string[])[1]).replace(/\.zip$/, '');
    const config = JSON.parse(readFileSync(join(custom.outdir, `asset.${key}`, 'config.json'), 'utf8')) as Record<string, string>;
    expect(config).toEqual({ apiBase: expect.stringMatching(/^<<marker:0x[0-9a-f]+:0>>$/), issuer: CITY_IDP, clientId: 'land-console', scope: 'openid land/api' });
    // The marker is replaced at deployment by the API's endpoint.
    expect((pages.Properties.SourceMarkers as Array<Record<string, unknown>>)[1]).toEqual({ [config.apiBase!]: { 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'ApiEndpoint'] } });
  });

  it('config.json asks for every scope a route requires, so the console passes a group with scopes of its own too', () => {
    const custom = synth({ apiScope: 'land/api', scopes: '{"platform":["land/admin"],"deadlines":["land/api"]}' });
    const pages = Object.entries(custom.service.findResources('Custom::CDKBucketDeployment')).find(([id]) => id.startsWith('ConsolePages'))![1] as Resource;
    const key = String((pages.Properties.SourceObjectKeys as string[])[1]).replace(/\.zip$/, '');
    const config = JSON.parse(readFileSync(join(custom.outdir, `asset.${key}`, 'config.json'), 'utf8')) as Record<string, string>;
    expect(config.scope).toBe('openid land/api land/admin');
  });

  it('refuses to synthesize without the console build, saying how to make it', () => {
    expect(() => synth({ consoleDist: join(tmpdir(), 'no-console-build-here') })).toThrow(/console build output not found: .*no index\.html\. Build the console first \(node console\/build\.ts\)/);
  });
});

describe('logical ids', () => {
  it('are pinned: renaming a construct would replace the state machine (stopping every running legal timer) and the functions', () => {
    const ids = (type: string, props?: unknown) => Object.keys(global.service.findResources(type, props)).sort();
    expect(ids('AWS::StepFunctions::StateMachine')).toEqual(['CompensationSurveyImportsStateMachine2AC59FC2', 'DeadlinesMaintenanceStateMachineFC2DD7C7', 'DeadlinesWorkflowStateMachine9C22738E', 'PaymentsWorkflowStateMachine3B8983A3']);
    // The system's functions (CDK's deployment-time handler for the console's files is not one).
    expect(ids('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' } })).toEqual([
      'CompensationApiFunctionFB81602C',
      'CompensationDocumentsFunction5427B1D7',
      'CompensationImportWorkerFunction8FFE8367',
      'DeadlinesWorkerFunctionDBE5F432',
      'EnforcementApiFunction07BC780A',
      'HandoverApiFunctionC02C92D3',
      'IncidentsApiFunction6660ED28',
      'NoticesApiFunctionBD6550E0',
      'OversightApiFunctionDF1E3F84',
      'PaymentsApiFunction19107375',
      'PaymentsWorkerFunctionCBEB6373',
      'PlatformApiFunctionC0F73B1E',
      'RegistrationApiFunction81E1C0FE',
      'SocialSecurityApiFunction2E451298',
    ]);
    // The data stack's resources hold the case records, the audit trail, evidence and keys.
    const data = (type: string) => Object.keys(global.data.findResources(type)).sort();
    expect(data('AWS::DynamoDB::Table')).toEqual(['Audit3D8ADE0A', 'Cases80582F3E']);
    expect(data('AWS::S3::Bucket')).toEqual(['Evidence4CC26D68', 'EvidenceAccessLogsBD172AC0']);
    // DataKey is the tables' key: a table's key can change in place, but its logical id is kept anyway.
    expect(data('AWS::KMS::Key')).toEqual(['AlertsKey9D05DB5E', 'BankAccountKey90DBF9E6', 'CursorKey255E8F8A', 'DataKey17AFBB84', 'EvidenceKey167D8F4D', 'PiiKey5DC31365', 'PiiMacKeyD22EE354']);
    expect(data('AWS::SNS::Topic')).toEqual(['Alerts91F83244', 'Operations993AC38D']);
    // A replaced vault would start empty beside the locked one, which cannot be deleted.
    expect(data('AWS::Backup::BackupVault')).toEqual(['AuditBackupVault4661881C']);
  });
});

describe('API and workflow', () => {
  it('every route but the OpenAPI document and health checks uses the JWT authorizer', () => {
    const routes = Object.values(global.service.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string; AuthorizationType: string } }).Properties,
    );
    expect(routes).toHaveLength(ALL_ROUTES.length);
    const open = routes.filter((r) => r.AuthorizationType !== 'JWT').map((r) => r.RouteKey).sort();
    // The bank's callbacks carry no agency token: the use case authenticates their HMAC signature (decision 0019).
    expect(open).toEqual(['GET /health', 'GET /health/ready', 'GET /openapi.json', 'POST /bank/callbacks']);
  });

  it('every JWT route requires its group\'s scope (expropriation/api unless configured per group)', () => {
    const routes = resourcesOf(global.service, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties as { RouteKey: string; AuthorizationType: string; AuthorizationScopes?: string[] });
    for (const route of routes) expect(route.AuthorizationScopes, route.RouteKey).toEqual(route.AuthorizationType === 'JWT' ? ['expropriation/api'] : undefined);
    const custom = synth({ apiScope: 'land/api', scopes: '{"platform":["land/calendar"]}' });
    const scoped = resourcesOf(custom.service, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties as { RouteKey: string; AuthorizationScopes?: string[] });
    expect(scoped.find((r) => r.RouteKey === 'PUT /calendar/years/{year}')!.AuthorizationScopes).toEqual(['land/calendar']);
    expect(scoped.find((r) => r.RouteKey === 'POST /projects')!.AuthorizationScopes).toEqual(['land/api']);
  });

  it('refuses a non-dev stage without the city identity provider', () => {
    expect(() => synth({ stage: 'prod' })).toThrow(/-c issuer=/);
  });

  it('takes the issuer and audience from configuration (the city identity provider)', () => {
    const custom = synth({ issuer: 'https://idp.yongzhou.example/realms/gov', audience: 'land-api,land-console' });
    custom.service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://idp.yongzhou.example/realms/gov', Audience: ['land-api', 'land-console'] },
    });
  });

  it('a Standard state machine waiting on computed timestamps', () => {
    const machines = global.service.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineType: 'STANDARD' } });
    expect(Object.keys(machines).sort()).toEqual(['CompensationSurveyImportsStateMachine2AC59FC2', 'DeadlinesMaintenanceStateMachineFC2DD7C7', 'DeadlinesWorkflowStateMachine9C22738E', 'PaymentsWorkflowStateMachine3B8983A3']);
    const definition = JSON.stringify(machines.DeadlinesWorkflowStateMachine9C22738E);
    expect(definition).toContain('TimestampPath');
    expect(definition).toContain('waitForTaskToken');
  });
});

describe('workflow retries', () => {
  type Retrier = { ErrorEquals: string[]; MaxAttempts?: number };
  type TaskState = { Type: string; Resource?: string; Retry?: Retrier[]; Catch?: unknown[]; ItemProcessor?: { States: Record<string, TaskState> } };
  const tasksOf = (states: Record<string, TaskState>): Array<[string, TaskState]> =>
    Object.entries(states).flatMap(([name, state]) => [[name, state] as [string, TaskState], ...(state.ItemProcessor ? tasksOf(state.ItemProcessor.States) : [])]);
  const definition = () => {
    const machine = global.service.findResources('AWS::StepFunctions::StateMachine').DeadlinesWorkflowStateMachine9C22738E as { Properties: { DefinitionString: unknown } };
    // The definition is an Fn::Join of strings and ARNs; the states' shape survives with the ARNs blanked.
    const parts = (machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'ARN')).join('')) as { States: Record<string, TaskState> };
  };

  it('every worker task retries only the named retryable errors and the Lambda service and sandbox errors', async () => {
    const { RETRYABLE_ERRORS } = await import('../../services/deadlines/handlers/worker-errors.ts');
    const tasks = tasksOf(definition().States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['AwaitStep', 'FallDue', 'ReportFailure']);
    // The worker's tasks are idempotent: a crashed runtime or a timed-out invocation is tried again.
    const lambdaService = ['Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'Lambda.Unknown', 'Sandbox.Timedout'];
    for (const [name, state] of tasks) {
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retried.sort(), name).toEqual([...lambdaService, ...RETRYABLE_ERRORS].sort());
      for (const never of ['States.ALL', 'States.TaskFailed', 'ValidationError', 'NotFoundError']) expect(retried, name).not.toContain(never);
    }
  });

  it('a failed watch (not retried) is caught and reported', () => {
    const watch = definition().States.WatchEach!;
    expect(JSON.stringify(watch.Catch)).toContain('ReportFailure');
  });

  it('each watch waits until its wake instant (due, or the horizon); a dormant one ends its iteration, one not yet due waits on its recorded instant', () => {
    type State = TaskState & { TimestampPath?: string; Parameters?: Record<string, string>; Next?: string; Choices?: Array<{ Variable: string; StringEquals: string; Next: string }>; Default?: string };
    const states = (definition().States.WatchEach as unknown as { ItemProcessor: { StartAt: string; States: Record<string, State> } }).ItemProcessor;
    expect(states.StartAt).toBe('WaitUntilDue');
    expect(states.States.WaitUntilDue).toMatchObject({ Type: 'Wait', TimestampPath: '$.wakeAt', Next: 'FallDue' });
    const judge = states.States['StillAwaitingStep?']!;
    expect(judge.Choices!.map((c) => [c.Variable, c.StringEquals, c.Next])).toEqual([
      ['$.outcome.status', 'overdue', 'AwaitStep'],
      ['$.outcome.status', 'not-yet-due', 'AdoptRecordedDueAt'],
      ['$.outcome.status', 'dormant', 'Dormant'],
    ]);
    expect(judge.Default).toBe('Settled');
    expect(states.States.Dormant).toEqual({ Type: 'Succeed' });
    expect(states.States.AdoptRecordedDueAt).toMatchObject({ Type: 'Pass', Parameters: { 'dueAt.$': '$.outcome.dueAt', 'wakeAt.$': '$.outcome.dueAt' }, Next: 'WaitUntilDue' });
  });
});

describe('tracing', () => {
  it('active on every function and the workflow where the partition offers it', () => {
    expect(Object.keys(global.service.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: { Mode: 'Active' } } }))).toHaveLength(14);
    global.service.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
  });

  it('off for AWS China (cn- region), and refused if asked for there', () => {
    const china = synth({ region: 'cn-north-1', account: '123456789012', issuer: CITY_IDP });
    expect(Object.keys(china.service.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: Match.anyValue() } }))).toHaveLength(0);
    expect(JSON.stringify(china.service.toJSON())).not.toContain('xray:');
    china.service.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: false } });
    expect(() => synth({ region: 'cn-north-1', tracing: 'true' })).toThrow(/not offered in AWS China/);
    // An env-agnostic template cannot know its partition: a China deployment says -c tracing=false.
    const agnostic = synth({ tracing: 'false' });
    expect(Object.keys(agnostic.service.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: Match.anyValue() } }))).toHaveLength(0);
  });
});

describe('AWS China', () => {
  it('synthesizes for cn-northwest-1 with no hard-coded aws partition', () => {
    const china = synth({ region: 'cn-northwest-1', account: '123456789012', issuer: CITY_IDP });
    for (const template of [china.console, china.data, china.service]) {
      expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws:/);
    }
    expect(china.nag.violations).toEqual([]);
  });
});

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type PolicyStatement = Statement & { Sid?: string; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const keyPolicy = (template: Template, logicalIdPrefix: string) =>
  (resourcesOf(template, 'AWS::KMS::Key').find(([id]) => id.startsWith(logicalIdPrefix))![1].Properties.KeyPolicy as { Statement: PolicyStatement[] }).Statement;
const functionStatements = (template: Template) =>
  resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([id]) => !id.includes('StateMachine'))
    .flatMap(([id, p]) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.map((s) => ({ policy: id, ...s })));
const BREAK_GLASS_OFFICER = 'arn:aws:iam::123456789012:user/security-officer';

describe('keys: one per purpose, least privilege', () => {
  it('tables, the evidence bucket and the topics each have their own key', () => {
    const keyOf = (value: unknown) => (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    for (const [, table] of resourcesOf(global.data, 'AWS::DynamoDB::Table')) {
      expect(keyOf((table.Properties.SSESpecification as { KMSMasterKeyId: unknown }).KMSMasterKeyId)).toBe('DataKey17AFBB84');
    }
    global.data.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['EvidenceKey167D8F4D', 'Arn'] } } })] },
    });
    const topics = resourcesOf(global.data, 'AWS::SNS::Topic');
    expect(topics.map(([, t]) => keyOf(t.Properties.KmsMasterKeyId))).toEqual(['AlertsKey9D05DB5E', 'AlertsKey9D05DB5E']);
    const symmetric = resourcesOf(global.data, 'AWS::KMS::Key').filter(([, k]) => k.Properties.KeySpec === undefined);
    expect(symmetric).toHaveLength(5);
    for (const [id, key] of symmetric) expect(key.Properties.EnableKeyRotation, id).toBe(true);
    for (const [id, key] of resourcesOf(global.data, 'AWS::KMS::Key')) expect((key as unknown as { DeletionPolicy: string }).DeletionPolicy, id).toBe('Retain');
  });

  it('function roles use the tables, evidence and topic keys only through their one service (kms:ViaService)', () => {
    const services: Record<string, string> = { DataKey: 'dynamodb', EvidenceKey: 's3', AlertsKey: 'sns|sqs' };
    const grants = functionStatements(global.service).filter((s) => /DataKey|EvidenceKey|AlertsKey/.test(JSON.stringify(s.Resource)));
    expect(grants.length).toBeGreaterThanOrEqual(7);
    for (const s of grants) {
      const key = /DataKey|EvidenceKey|AlertsKey/.exec(JSON.stringify(s.Resource))![0];
      const via = JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService']);
      expect(via, `${s.policy} ${key}`).toMatch(new RegExp(`^\\{"Fn::Join":\\["",\\["(${services[key]})\\.",\\{"Ref":"AWS::Region"\\},"\\.",\\{"Ref":"AWS::URLSuffix"\\}\\]\\]\\}$`));
      expect(actions(s).every((a) => ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'].includes(a)), s.policy).toBe(true);
    }
  });

  it('in AWS China too: the region is named, the suffix is the partition\'s (AWS::URLSuffix is amazonaws.com.cn there)', () => {
    const china = synth({ region: 'cn-northwest-1', account: '123456789012', issuer: CITY_IDP });
    const vias = functionStatements(china.service).flatMap((s) => (s.Condition?.StringEquals?.['kms:ViaService'] ? [JSON.stringify(s.Condition.StringEquals['kms:ViaService'])] : []));
    expect(vias.length).toBeGreaterThan(0);
    for (const via of vias) expect(via).toMatch(/^\{"Fn::Join":\["",\["(dynamodb|s3|sns|sqs)\.cn-northwest-1\.",\{"Ref":"AWS::URLSuffix"\}\]\]\}$/);
  });

  it('no function, and no administrator, can decrypt personal ID numbers', () => {
    const pii = functionStatements(global.service).filter((s) => JSON.stringify(s.Resource).includes('PiiKey5DC'));
    // Encrypt only: registration (rights holders), the compensation API and the import worker
    // (members), social security (social insurance numbers).
    expect(pii.flatMap(actions)).toEqual(['kms:Encrypt', 'kms:Encrypt', 'kms:Encrypt', 'kms:Encrypt']);
    const policy = keyPolicy(global.data, 'PiiKey');
    const allows = policy.filter((s) => s.Effect === 'Allow');
    expect(allows.flatMap(actions)).not.toContain('kms:*');
    expect(allows.flatMap(actions)).not.toContain('kms:Decrypt');
    expect(allows.flatMap(actions).filter((a) => 'kms:Decrypt'.startsWith(a.replace('*', '')) || a.startsWith('kms:Create') && a !== 'kms:CreateAlias')).toEqual([]);
    // Administration stays with the account (CloudFormation manages the key through it).
    expect(allows.find((s) => s.Sid === 'KeyAdministrationWithoutUse')).toBeDefined();
    // Without a break-glass principal, Decrypt is denied to everyone, grants included.
    const deny = policy.find((s) => s.Effect === 'Deny')!;
    expect(actions(deny).sort()).toEqual(['kms:CreateGrant', 'kms:Decrypt', 'kms:ReEncryptFrom']);
    expect(deny.Condition).toBeUndefined();
  });

  it('the break-glass role alone decrypts, assumable only by the named principal with MFA', () => {
    const withOfficer = synth({ breakGlassPrincipal: BREAK_GLASS_OFFICER });
    // The data stack's other role is AWS Backup's (audit trail backups); it has no use of the PII key.
    const roles = resourcesOf(withOfficer.data, 'AWS::IAM::Role');
    expect(roles.map(([id]) => id).filter((id) => !id.startsWith('AuditBackup'))).toEqual(['PiiBreakGlass758A9090']);
    const breakGlass = roles.find(([id]) => id === 'PiiBreakGlass758A9090')!;
    expect(breakGlass[1].Properties).toMatchObject({
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: BREAK_GLASS_OFFICER }, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
    });
    const policy = keyPolicy(withOfficer.data, 'PiiKey');
    const decrypters = policy.filter((s) => s.Effect === 'Allow' && actions(s).includes('kms:Decrypt'));
    expect(decrypters.map((s) => s.Principal)).toEqual([{ AWS: { 'Fn::GetAtt': ['PiiBreakGlass758A9090', 'Arn'] } }]);
    const deny = policy.find((s) => s.Effect === 'Deny')!;
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['PiiBreakGlass758A9090', 'Arn'] } } });
    expect(() => synth({ breakGlassPrincipal: 'someone' })).toThrow();
    // A role's sessions carry no MFA flag: the trust condition could never hold.
    expect(() => stageConfig((key) => ({ breakGlassPrincipal: 'arn:aws:iam::123456789012:role/admin' })[key])).toThrow();
  });

  it('the topics key admits CloudWatch alarms and EventBridge dead letters, of this account only', () => {
    const admitted = keyPolicy(global.data, 'AlertsKey').find((s) => s.Sid === 'AlarmsAndUndeliveredEvents')!;
    expect(admitted.Principal).toEqual({ Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] });
    expect(actions(admitted).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(admitted.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('operators see failures', () => {
  const alarms = () => resourcesOf(global.service, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as { MetricName: string; Namespace: string; Dimensions?: Array<{ Name: string; Value: unknown }>; AlarmActions: unknown[] });
  const watched = (namespace: string, metricName: string) => alarms().filter((a) => a.Namespace === namespace && a.MetricName === metricName);

  it('alarms on every function error and throttle, failed/timed-out/aborted executions, API 5xx, SNS delivery failures and the reconcile', () => {
    expect(watched('AWS/Lambda', 'Errors')).toHaveLength(14);
    expect(watched('AWS/Lambda', 'Throttles')).toHaveLength(14);
    // The deadline watch and the payment workflows fail loudly; only the deadline watch is timed or stopped by hand.
    expect(watched('AWS/States', 'ExecutionsFailed')).toHaveLength(2);
    for (const metric of ['ExecutionsTimedOut', 'ExecutionsAborted']) expect(watched('AWS/States', metric), metric).toHaveLength(1);
    expect(watched('AWS/ApiGateway', '5xx')).toHaveLength(1);
    const delivery = watched('AWS/SNS', 'NumberOfNotificationsFailed').map((a) => JSON.stringify(a.Dimensions));
    expect(delivery).toHaveLength(2);
    expect(delivery.some((d) => d.includes('Alerts91F83244'))).toBe(true);
    const reconcile = watched('LandExpropriation/dev', 'ReconcileFailures');
    expect(reconcile.map((a) => a.Dimensions)).toEqual([[{ Name: 'service', Value: 'deadlines' }]]);
    expect(watched('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });

  it('every alarm notifies the operations topic, never the agencies\' alerts topic', () => {
    expect(alarms().length).toBe(37);
    for (const alarm of alarms()) expect(JSON.stringify(alarm.AlarmActions)).toMatch(/^\[\{"Fn::ImportValue":"LandExpropriation-dev-Data:ExportsOutputRefOperations[^"]*"\}\]$/);
    expect(resourcesOf(global.service, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('a reconcile that fails lands in a KMS-encrypted, TLS-only dead-letter queue after retries', () => {
    const [[queueId, queue]] = resourcesOf(global.service, 'AWS::SQS::Queue') as [[string, Resource]];
    expect(JSON.stringify(queue.Properties.KmsMasterKeyId)).toContain('AlertsKey');
    global.service.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    global.service.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }) })],
    });
    global.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: 'DeadlinesWorkerFunctionDBE5F432' },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      MaximumRetryAttempts: 2,
    });
    const send = functionStatements(global.service).filter((s) => actions(s).includes('sqs:SendMessage'));
    expect(send.map((s) => s.policy)).toEqual(['DeadlinesWorkerRoleDefaultPolicyE6A438C8']);
  });

  it('API access logs are JSON with HTTP API $context variables only', () => {
    const [[, stage]] = resourcesOf(global.service, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format) as Record<string, string>;
    expect(format).toEqual(ACCESS_LOG_FORMAT);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status', latency: '$context.responseLatency', authorizerError: '$context.authorizer.error' });
    // REST-API-only variables (empty in an HTTP API's logs).
    expect(JSON.stringify(format)).not.toMatch(/identity\.(caller|user)\b|resourcePath|\$context\.error\.messageString/);
  });
});

describe('stages', () => {
  const retention = (template: Template) =>
    (resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Evidence4'))![1].Properties.ObjectLockConfiguration as { Rule: { DefaultRetention: unknown } }).Rule.DefaultRetention;

  it('dev (the local cloud) keeps evidence in GOVERNANCE mode for a day; prod in COMPLIANCE mode for ten years', () => {
    expect(retention(global.data)).toEqual({ Mode: 'GOVERNANCE', Days: 1 });
    const prod = stageConfig((key) => ({ stage: 'prod', issuer: CITY_IDP, bankUrl: 'https://pay.bank.example.cn/v1' })[key]);
    expect(prod.evidenceRetention).toEqual({ mode: 'COMPLIANCE', days: 3650 });
    expect(stageConfig((key) => ({ stage: 'staging', issuer: CITY_IDP, bankUrl: 'https://pay.bank.example.cn/v1' })[key]).evidenceRetention).toEqual({ mode: 'GOVERNANCE', days: 1 });
  });

  it('refuses COMPLIANCE retention longer than a day outside prod', () => {
    expect(() => stageConfig((key) => ({ stage: 'staging', issuer: CITY_IDP, bankUrl: 'https://pay.bank.example.cn/v1', evidenceRetentionMode: 'COMPLIANCE', evidenceRetentionDays: '30' })[key])).toThrow(/for stage prod only/);
    expect(stageConfig((key) => ({ stage: 'staging', issuer: CITY_IDP, bankUrl: 'https://pay.bank.example.cn/v1', evidenceRetentionMode: 'COMPLIANCE', evidenceRetentionDays: '1' })[key]).evidenceRetention).toEqual({ mode: 'COMPLIANCE', days: 1 });
  });

  it('pays through the bank named for the stage: required outside dev, https only (dev may use the local bank)', () => {
    expect(() => stageConfig((key) => ({ stage: 'prod', issuer: CITY_IDP })[key])).toThrow(/-c bankUrl=/);
    expect(() => stageConfig((key) => ({ stage: 'prod', issuer: CITY_IDP, bankUrl: 'http://pay.bank.example.cn/v1' })[key])).toThrow(/not an https URL/);
    expect(stageConfig((key) => ({ stage: 'prod', issuer: CITY_IDP, bankUrl: 'https://pay.bank.example.cn/v1/' })[key]).bankUrl).toBe('https://pay.bank.example.cn/v1');
    expect(stageConfig((key) => ({ stage: 'dev' })[key]).bankUrl).toBe('http://127.0.0.1:8990');
    const worker = Object.values(global.service.findResources('AWS::Lambda::Function')).find((f) => JSON.stringify(f).includes('Payment workflow tasks')) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    expect(worker.Properties.Environment.Variables.BANK_URL).toBe('http://127.0.0.1:8990');
  });

  it('refuses to target an account with the local identity provider, whatever the stage', () => {
    expect(() => stageConfig((key) => ({ stage: 'dev', account: '123456789012' })[key])).toThrow(/-c issuer=/);
    expect(() => stageConfig((key) => ({ account: '123456789012' })[key])).toThrow(/-c issuer=/);
    expect(stageConfig((key) => ({ stage: 'dev' })[key]).issuer).toBe('http://localhost:3000/local-idp');
  });

  it('heavy routes have their own throttle, applied after the routes exist', () => {
    const [[, stage]] = resourcesOf(global.service, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(Object.keys(ROUTE_THROTTLES).sort());
    const routeKeys = ALL_ROUTES.map((r) => `${r.method} ${r.path}`);
    for (const [key, limit] of Object.entries(settings)) {
      expect(routeKeys, key).toContain(key);
      expect(limit.ThrottlingRateLimit).toBeLessThan((stage.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number }).ThrottlingRateLimit);
    }
    const routeIds = resourcesOf(global.service, 'AWS::ApiGatewayV2::Route').map(([id]) => id);
    expect([...(stage.DependsOn ?? [])].sort()).toEqual(expect.arrayContaining(routeIds.sort()));
  });
});

describe('cross-stack references', () => {
  /** What `template` imports from the stack `producer` (Data, Console), by resource and attribute. */
  const importsOf = (template: Template, producer: string) =>
    [...new Set(JSON.stringify(template.toJSON()).match(new RegExp(`LandExpropriation-dev-${producer}:ExportsOutput[A-Za-z0-9]+`, 'g')))]
      .map((name) => name.replace(/^.*:ExportsOutput(Ref|FnGetAtt)/, '').replace(/[0-9A-F]{8}(Arn|TopicName|DomainName)?[0-9A-F]{8}$/, '$1'))
      .sort();

  it('the service stack imports exactly these data-stack values (each export pins its resource: see README, two-step replacement)', () => {
    expect(importsOf(global.service, 'Data')).toEqual([
      'Alerts',
      'AlertsKeyArn',
      'AlertsTopicName',
      'Audit',
      'AuditArn',
      'BankAccountKeyArn',
      'Cases',
      'CasesArn',
      'CursorKeyArn',
      'DataKeyArn',
      'Evidence',
      'EvidenceKeyArn',
      'Operations',
      'OperationsTopicName',
      'PiiKeyArn',
      'PiiMacKeyArn',
    ]);
  });

  it('the data and service stacks import the console distribution\'s domain alone (CORS); the console stack imports nothing', () => {
    expect(importsOf(global.data, 'Console')).toEqual(['SiteDistributionDomainName']);
    expect(importsOf(global.service, 'Console')).toEqual(['SiteDistributionDomainName']);
    expect(JSON.stringify(global.console.toJSON())).not.toContain('Fn::ImportValue');
  });
});

describe('workflow failure reporting', () => {
  it('an alert that cannot be sent fails the execution under its own name (the failed-executions alarm fires)', () => {
    const machine = Object.values(global.service.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } } };
    const definition = JSON.parse(machine.Properties.DefinitionString['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : 'ARN')).join('')) as {
      States: Record<string, { Type: string; Catch?: Array<{ ErrorEquals: string[]; Next: string }>; Error?: string }>;
    };
    const report = definition.States.ReportFailure!;
    expect(report.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'FailedUnreported' })]);
    expect(definition.States.FailedUnreported).toMatchObject({ Type: 'Fail', Error: 'WatchFailedUnreported' });
  });
});
