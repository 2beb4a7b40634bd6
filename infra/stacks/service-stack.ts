import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import type { StageConfig } from '../config.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { WatchWorkflow } from '../constructs/watch-workflow.ts';
import { evidenceBucketName, type DataStack } from './data-stack.ts';

interface ServiceStackProps extends StackProps {
  config: StageConfig;
  data: DataStack;
}

/** The stateless part: one function per service, the deadline workflow, and the HTTP API. */
export class ServiceStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly functions: Record<string, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { data, config } = props;

    // Named up front so functions can be told its ARN without a dependency cycle
    // (the workflow invokes the worker; the worker starts the workflow).
    const workflowName = `${this.stackName}-deadline-watch`;
    const workflowArn = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: workflowName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const executionsArn = this.formatArn({ service: 'states', resource: 'execution', resourceName: `${workflowName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const tables = { CASES_TABLE: data.cases.tableName, AUDIT_TABLE: data.audit.tableName };
    const rules = { RULE_VARIANT: config.ruleVariant };
    const observability = { tracing: config.tracing, metricsNamespace: `${config.metricsNamespace}/${config.stage}` };
    const fns = {
      platform: new ServiceFunction(this, 'PlatformApi', {
        ...observability,
        entry: 'services/platform/handlers/api.ts',
        description: 'OpenAPI, health, legal calendar and its holiday data, performance records',
        environment: { ...tables, ...rules, WATCH_WORKFLOW_ARN: workflowArn },
        timeout: Duration.seconds(30),
      }),
      notices: new ServiceFunction(this, 'NoticesApi', {
        ...observability,
        entry: 'services/notices/handlers/api.ts',
        description: 'Projects, expropriation notices, postings with evidence, timeline, inbox',
        environment: { ...tables, ...rules, EVIDENCE_BUCKET: data.evidence.bucketName, WATCH_WORKFLOW_ARN: workflowArn },
        timeout: Duration.seconds(30),
      }),
      registration: new ServiceFunction(this, 'RegistrationApi', {
        ...observability,
        entry: 'services/registration/handlers/api.ts',
        description: 'Compensation registration within the notice window',
        environment: { ...tables, ...rules, PII_KEY_ID: data.piiKey.keyArn, PII_MAC_KEY_ID: data.piiMacKey.keyArn },
      }),
      compensation: new ServiceFunction(this, 'CompensationApi', {
        ...observability,
        entry: 'services/compensation/handlers/api.ts',
        description: 'Compensation and resettlement implementation plan, one standard per project',
        environment: { ...tables, ...rules, WATCH_WORKFLOW_ARN: workflowArn },
      }),
      deadlines: new ServiceFunction(this, 'DeadlinesWorker', {
        ...observability,
        entry: 'services/deadlines/handlers/worker.ts',
        description: 'Deadline watch tasks: due, overdue alerts, callbacks, reconcile',
        environment: { ...tables, ...rules, ALERTS_TOPIC_ARN: data.alerts.topicArn, WATCH_WORKFLOW_ARN: workflowArn },
        timeout: Duration.seconds(30),
      }),
    };
    this.functions = fns;

    // ---- least-privilege grants, one statement per need ----
    for (const f of Object.values(fns)) {
      grant(f, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'], [data.cases.tableArn, `${data.cases.tableArn}/index/gsi1`]);
      // The audit trail is append-only: put, never update or delete.
      grant(f, ['dynamodb:PutItem'], [data.audit.tableArn]);
      grant(f, ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [data.dataKey.keyArn]);
    }
    // Presigned uploads and verification of evidence under projects/ (keys are generated per upload).
    const evidenceObjects = `arn:${this.partition}:s3:::${evidenceBucketName(config.stage, this.account, this.region)}/projects/*`;
    grant(fns.notices, ['s3:PutObject', 's3:GetObject'], [evidenceObjects]);
    // So that a missing object reads as 404, not 403 (the service tells "not uploaded yet" apart).
    grant(fns.notices, ['s3:ListBucket'], [`arn:${this.partition}:s3:::${evidenceBucketName(config.stage, this.account, this.region)}`]);
    grant(fns.registration, ['kms:Encrypt'], [data.piiKey.keyArn]);
    grant(fns.registration, ['kms:GenerateMac'], [data.piiMacKey.keyArn]);
    for (const f of [fns.notices, fns.deadlines, fns.platform]) grant(f, ['states:StartExecution'], [workflowArn]);
    for (const f of [fns.notices, fns.deadlines, fns.platform]) grant(f, ['states:DescribeExecution'], [executionsArn]);
    // A holiday-data correction restarts the watchers of the deadlines it moved.
    grant(fns.platform, ['states:StopExecution'], [executionsArn]);
    for (const f of [fns.compensation, fns.deadlines]) grant(f, ['states:SendTaskSuccess'], [workflowArn]);
    grant(fns.deadlines, ['sns:Publish'], [data.alerts.topicArn]);

    const workflow = new WatchWorkflow(this, 'DeadlineWatch', { name: workflowName, worker: fns.deadlines.fn, tracing: config.tracing });

    // Reconcile: every live deadline has a running watcher, even after a failed execution.
    new events.Rule(this, 'Reconcile', {
      description: 'Makes sure every open legal deadline has a running watch workflow',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(fns.deadlines.fn, { event: events.RuleTargetInput.fromObject({ action: 'reconcile' }) })],
    });

    // ---- the HTTP API: every route from the services' route tables ----
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.api = new apigw.HttpApi(this, 'Api', { description: 'Land expropriation coordination API', createDefaultStage: false });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const authorizer = new HttpJwtAuthorizer('AgencyJwt', config.issuer, { jwtAudience: config.audience, identitySource: ['$request.header.Authorization'] });
    const integrations = Object.fromEntries(
      Object.entries(fns).map(([name, f]) => [name, new HttpLambdaIntegration(`${name}Integration`, f.fn)]),
    );
    for (const route of ALL_ROUTES) {
      const integration = integrations[route.service];
      if (!integration) throw new Error(`route ${route.method} ${route.path}: no function for service ${route.service}`);
      new apigw.HttpRoute(this, `Route ${route.method} ${route.path}`, {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration,
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlertsTopicArn', { value: data.alerts.topicArn });
    new CfnOutput(this, 'WorkflowArn', { value: workflow.stateMachine.stateMachineArn });

    // cdk-nag names findings with pseudo parameters shown as <AWS::…> when the stack is env-agnostic.
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    acknowledgeWildcards(fns.notices, [
      [`Resource::arn:<AWS::Partition>:s3:::land-exprop-evidence-${config.stage}-${account}-${region}/projects/*`, 'Evidence objects are created per upload under projects/<project>/…; the role may put and read only there, in this one bucket.'],
    ]);
    for (const f of [fns.notices, fns.deadlines, fns.platform]) {
      acknowledgeWildcards(f, [
        [`Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:${workflowName}:*`, 'DescribeExecution (and, for the platform, StopExecution) on executions of this one state machine, whose names are derived from case ids at run time.'],
      ]);
    }

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Every route has the JWT authorizer except GET /openapi.json and GET /health, which are public by design (API description and liveness).',
    });
  }
}

function acknowledgeWildcards(f: ServiceFunction, findings: Array<[finding: string, reason: string]>): void {
  for (const [finding, reason] of findings) Validations.of(f.role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
}

function grant(f: ServiceFunction, actions: string[], resources: string[]): void {
  f.role.addToPolicy(new iam.PolicyStatement({ actions, resources }));
}
