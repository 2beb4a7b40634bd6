import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { allScopes, scopesFor, type StageConfig } from '../config.ts';
import { ConsoleContent } from '../constructs/console-site.ts';
import type { ServiceContext } from '../constructs/service-context.ts';
import { OperationsAlarms } from '../constructs/operations-alarms.ts';
import type { ServiceFunction } from '../constructs/service-function.ts';
import { CompensationService } from '../constructs/services/compensation-service.ts';
import { EnforcementService } from '../constructs/services/enforcement-service.ts';
import { IncidentsService } from '../constructs/services/incidents-service.ts';
import { OversightService } from '../constructs/services/oversight-service.ts';
import { HandoverService } from '../constructs/services/handover-service.ts';
import { DeadlinesService } from '../constructs/services/deadlines-service.ts';
import { NoticesService } from '../constructs/services/notices-service.ts';
import { PaymentsService } from '../constructs/services/payments-service.ts';
import { PlatformService } from '../constructs/services/platform-service.ts';
import { RegistrationService } from '../constructs/services/registration-service.ts';
import { SocialSecurityService } from '../constructs/services/social-security-service.ts';
import type { DataStack } from './data-stack.ts';

/**
 * One JSON object per request, with HTTP API `$context` variables only (the CDK default, CLF, uses
 * REST API ones that an HTTP API leaves empty). `authorizerError` says why a JWT was refused.
 */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  responseLength: '$context.responseLength',
};

/**
 * Routes that do heavy work per request get a tighter limit than the stage's: a holiday-calendar
 * correction re-counts every open deadline and restarts workflows; an evidence-upload request
 * presigns URLs for files. Keys must match route keys (a test holds them to the route table).
 */
export const ROUTE_THROTTLES: Record<string, { rateLimit: number; burstLimit: number }> = {
  'PUT /calendar/years/{year}': { rateLimit: 1, burstLimit: 2 },
  'POST /projects/{projectId}/evidence-uploads': { rateLimit: 10, burstLimit: 20 },
};

interface ServiceStackProps extends StackProps {
  config: StageConfig;
  data: DataStack;
  /** The console's https origin (its distribution, console stack), and the directory of its build output. */
  console: { origin: string; distDir: string };
}

/** The stateless part: one function per service, the deadline workflow, the HTTP API, and the console's files. */
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

    const maintenanceName = `${this.stackName}-deadline-maintenance`;
    const maintenanceArn = this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: maintenanceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const ctx: ServiceContext = {
      data,
      config,
      workflow: { name: workflowName, arn: workflowArn, executionsArn },
      maintenance: { name: maintenanceName, arn: maintenanceArn },
      observability: { tracing: config.tracing, metricsNamespace: `${config.metricsNamespace}/${config.stage}` },
    };

    // One construct per service: a new service is one construct here and one entry in the routes.
    const deadlines = new DeadlinesService(this, 'Deadlines', ctx);
    const compensation = new CompensationService(this, 'Compensation', ctx);
    const payments = new PaymentsService(this, 'Payments', ctx);
    const fns = {
      platform: new PlatformService(this, 'Platform', ctx).api,
      notices: new NoticesService(this, 'Notices', ctx).api,
      registration: new RegistrationService(this, 'Registration', ctx).api,
      compensation: compensation.api,
      'compensation-documents': compensation.documents,
      'compensation-imports': compensation.importWorker,
      payments: payments.api,
      'payments-worker': payments.worker,
      'social-security': new SocialSecurityService(this, 'SocialSecurity', ctx).api,
      handover: new HandoverService(this, 'Handover', ctx).api,
      enforcement: new EnforcementService(this, 'Enforcement', ctx).api,
      incidents: new IncidentsService(this, 'Incidents', ctx).api,
      oversight: new OversightService(this, 'Oversight', ctx).api,
      deadlines: deadlines.worker,
    };
    this.functions = fns;
    const workflow = deadlines.workflow;

    // ---- the HTTP API: every route from the services' route tables ----
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Land expropriation coordination API',
      createDefaultStage: false,
      // The console calls the API from its own origin with a bearer token (no cookies): the
      // methods of the route table, and the two headers it sends.
      corsPreflight: {
        allowOrigins: [props.console.origin, ...config.consoleOrigins],
        allowMethods: [...new Set(ALL_ROUTES.map((route) => route.method))].map((method) => apigw.CorsHttpMethod[method]),
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)) },
    });
    const authorizer = new HttpJwtAuthorizer('AgencyJwt', config.issuer, { jwtAudience: config.audience, identitySource: ['$request.header.Authorization'] });
    const integrations = Object.fromEntries(
      Object.entries(fns).map(([name, f]) => [name, new HttpLambdaIntegration(`${name}Integration`, f.fn)]),
    );
    const routes: apigw.HttpRoute[] = [];
    for (const route of ALL_ROUTES) {
      const integration = integrations[route.service];
      if (!integration) throw new Error(`route ${route.method} ${route.path}: no function for service ${route.service}`);
      routes.push(
        new apigw.HttpRoute(this, `Route ${route.method} ${route.path}`, {
          httpApi: this.api,
          routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
          integration,
          ...(route.auth === 'jwt' ? { authorizer, authorizationScopes: scopesFor(config, route.service) } : {}),
        }),
      );
    }
    // Route settings name routes by key: the stage must be updated after the routes exist.
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(ROUTE_THROTTLES).map(([routeKey, t]) => [routeKey, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
    );
    stage.node.addDependency(...routes);

    // ---- what operators see: alarms to the operations topic, and a dashboard ----
    new OperationsAlarms(this, 'Operations', {
      functions: fns,
      workflow: workflow.stateMachine,
      payments: payments.workflow,
      api: this.api,
      topics: { Alerts: data.alerts, Operations: data.operations },
      failedInvocations: deadlines.failedInvocations,
      metricsNamespace: ctx.observability.metricsNamespace,
      operations: data.operations,
    });

    new ConsoleContent(this, 'Console', {
      stage: config.stage,
      distDir: props.console.distDir,
      config: { apiBase: this.api.apiEndpoint, issuer: config.issuer, clientId: config.audience[0]!, scope: ['openid', ...allScopes(config)].join(' ') },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'AlertsTopicArn', { value: data.alerts.topicArn });
    new CfnOutput(this, 'OperationsTopicArn', { value: data.operations.topicArn });
    new CfnOutput(this, 'WorkflowArn', { value: workflow.stateMachine.stateMachineArn });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Every route has the JWT authorizer except GET /openapi.json, GET /health and GET /health/ready, which are public by design (API description, liveness, readiness for load balancers and monitors; they return no case data).',
    });
  }
}
