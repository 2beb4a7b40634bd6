import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';

/** Synthesizes the app as `cdk synth` would, without bundling (assertions need no code). */
function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-test-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const { data, service } = buildApp(app);
  // synth() itself fails on any unacknowledged finding (the plugin is registered by buildApp);
  // running the pack again here makes the result visible to assertions.
  app.synth();
  const nag = new AwsSolutionsChecks(app).validateScope(app);
  return { data: Template.fromStack(data), service: Template.fromStack(service), nag, acknowledgements: acknowledgementsOf(app) };
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
    expect(descriptions).toHaveLength(5);
    expect(Object.keys(global.service.findResources('AWS::Lambda::Function'))).toHaveLength(5);
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

  it('the notices service can put and read evidence under projects/ and tell a missing object (ListBucket); nothing can delete it', () => {
    const all = statementsOf(global.service);
    const evidence = all.filter((s) => JSON.stringify(s.Resource).includes('land-exprop-evidence'));
    // ListBucket twice: the notices service, and the platform's readiness check (HeadBucket).
    expect(evidence.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:ListBucket', 's3:PutObject']);
    expect(all.flatMap(actions).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
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
    const prod = synth({ stage: 'prod', issuer: 'https://idp.yongzhou.example/realms/gov' });
    expect(lock(prod.data)).toEqual({ MinRetentionDays: 3650, ChangeableForDays: 3 });
    prod.data.hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 3650 } })] } });
    const staging = synth({ stage: 'staging', issuer: 'https://idp.yongzhou.example/realms/gov', auditBackupLock: 'governance', auditBackupRetentionDays: '90' });
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
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE' } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    global.data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('alerts topic: KMS encrypted', () => {
    global.data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('logical ids', () => {
  it('are pinned: renaming a construct would replace the state machine (stopping every running legal timer) and the functions', () => {
    const ids = (type: string) => Object.keys(global.service.findResources(type)).sort();
    expect(ids('AWS::StepFunctions::StateMachine')).toEqual(['DeadlinesWorkflowStateMachine9C22738E']);
    expect(ids('AWS::Lambda::Function')).toEqual([
      'CompensationApiFunctionFB81602C',
      'DeadlinesWorkerFunctionDBE5F432',
      'NoticesApiFunctionBD6550E0',
      'PlatformApiFunctionC0F73B1E',
      'RegistrationApiFunction81E1C0FE',
    ]);
    // The data stack's resources hold the case records, the audit trail, evidence and keys.
    const data = (type: string) => Object.keys(global.data.findResources(type)).sort();
    expect(data('AWS::DynamoDB::Table')).toEqual(['Audit3D8ADE0A', 'Cases80582F3E']);
    expect(data('AWS::S3::Bucket')).toEqual(['Evidence4CC26D68', 'EvidenceAccessLogsBD172AC0']);
    expect(data('AWS::KMS::Key')).toEqual(['CursorKey255E8F8A', 'DataKey17AFBB84', 'PiiKey5DC31365', 'PiiMacKeyD22EE354']);
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
    expect(open).toEqual(['GET /health', 'GET /health/ready', 'GET /openapi.json']);
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
    expect(Object.keys(machines)).toHaveLength(1);
    const definition = JSON.stringify(Object.values(machines)[0]);
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
    const machine = Object.values(global.service.findResources('AWS::StepFunctions::StateMachine'))[0] as { Properties: { DefinitionString: unknown } };
    // The definition is an Fn::Join of strings and ARNs; the states' shape survives with the ARNs blanked.
    const parts = (machine.Properties.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'ARN')).join('')) as { States: Record<string, TaskState> };
  };

  it('every worker task retries only the named retryable errors and the Lambda service errors', async () => {
    const { RETRYABLE_ERRORS } = await import('../../services/deadlines/handlers/worker-errors.ts');
    const tasks = tasksOf(definition().States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['AwaitStep', 'FallDue', 'ReportFailure']);
    const lambdaService = ['Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.ServiceException', 'Lambda.TooManyRequestsException'];
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
});

describe('tracing', () => {
  it('active on every function and the workflow where the partition offers it', () => {
    expect(Object.keys(global.service.findResources('AWS::Lambda::Function', { Properties: { TracingConfig: { Mode: 'Active' } } }))).toHaveLength(5);
    global.service.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
  });

  it('off for AWS China (cn- region), and refused if asked for there', () => {
    const china = synth({ region: 'cn-north-1', account: '123456789012' });
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
    const china = synth({ region: 'cn-northwest-1', account: '123456789012' });
    for (const template of [china.data, china.service]) {
      expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws:/);
    }
    expect(china.nag.violations).toEqual([]);
  });
});
