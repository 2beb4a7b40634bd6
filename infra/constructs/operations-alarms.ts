import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.ts';

export interface OperationsAlarmsProps {
  functions: Record<string, ServiceFunction>;
  workflow: sfn.StateMachine;
  /** One Standard workflow per payment: a failed one is a payment nobody is following any more. */
  payments: sfn.StateMachine;
  api: apigw.HttpApi;
  /** Topics whose deliveries to subscribers must not fail unseen (alerts to agencies, these alarms). */
  topics: Record<string, sns.ITopic>;
  failedInvocations: sqs.IQueue;
  /** Where the functions' own metrics are (the stage's namespace); the reconcile counts its failures there. */
  metricsNamespace: string;
  /** Every alarm notifies this topic (the operators), not the agencies' alerts topic. */
  operations: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * What operators must see: a function failing or throttled, a legal-deadline workflow that failed,
 * timed out or was stopped, the API answering 5xx, an alert SNS could not deliver, and a reconcile
 * that could not watch a case or failed outright. One alarm per signal (its description says what to do),
 * each on the first occurrence, and a dashboard with the same signals.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.operations);
    const alarm = (name: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data is no failure (a quiet hour has no invocations).
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };

    for (const [name, { fn }] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors(sum), `The ${name} function failed (unhandled error, timeout or crash). Its log group has the request id; API callers got a 5xx.`);
      alarm(`${name}Throttles`, fn.metricThrottles(sum), `The ${name} function was throttled: the account's or the function's concurrency is exhausted.`);
    }
    const { workflow } = props;
    alarm('WorkflowFailed', workflow.metricFailed(sum), 'A deadline watch workflow failed. WatchFailed: the leading group office was alerted, the hourly reconcile restarts it. WatchFailedUnreported: the alert could not be sent either — tell the office.');
    alarm('PaymentWorkflowFailed', props.payments.metricFailed(sum), 'A payment workflow failed. PaymentWorkflowFailed: finance was told to check the payment with the bank by its idempotency key; PaymentWorkflowFailedUnreported: finance could not be told either — tell finance. Never re-send a payment before the bank has been queried.');
    alarm('WorkflowTimedOut', workflow.metricTimedOut(sum), 'A deadline watch workflow timed out; the hourly reconcile restarts it. Check the execution history.');
    alarm('WorkflowAborted', workflow.metricAborted(sum), 'A deadline watch workflow was stopped. Expected once per affected case after a holiday-calendar correction, and when a clock went dormant at the horizon beside one awaiting an overdue step (the platform restarts them); otherwise someone stopped a legal timer by hand.');
    alarm('Api5xx', props.api.metricServerError(sum), 'The API answered 5xx (a function failed or timed out, or a dependency is down: 503). Access logs: status, routeKey, requestId.');
    for (const [name, topic] of Object.entries(props.topics)) {
      alarm(`${name}DeliveryFailed`, topic.metricNumberOfNotificationsFailed(sum), `SNS could not deliver a message of the ${name} topic to a subscriber (endpoint down, key policy, or subscription removed).`);
    }
    const reconcileFailures = new cloudwatch.Metric({ namespace: props.metricsNamespace, metricName: 'ReconcileFailures', dimensionsMap: { service: 'deadlines' }, ...sum });
    alarm('ReconcileFailures', reconcileFailures, 'The hourly reconcile could not start the watch workflow of some case (each was also alerted to the leading group office). It tries again within the hour.');
    alarm(
      'ReconcileUndelivered',
      props.failedInvocations.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      'A reconcile run failed after its retries (or could not be delivered to the worker): its event is in the failed-invocations queue, with the error in its attributes.',
    );

    const graph = (title: string, metrics: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left: metrics, width: 8 });
    const fns = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      graph('Function errors', fns.map(([name, { fn }]) => fn.metricErrors({ ...sum, label: name }))),
      graph('Function throttles', fns.map(([name, { fn }]) => fn.metricThrottles({ ...sum, label: name }))),
      graph('Function duration p99', fns.map(([name, { fn }]) => fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99), label: name }))),
    );
    this.dashboard.addWidgets(
      graph('API requests and errors', [props.api.metricCount(sum), props.api.metricClientError(sum), props.api.metricServerError(sum)]),
      graph('Workflow executions', [workflow.metricStarted(sum), workflow.metricSucceeded(sum), workflow.metricFailed(sum), workflow.metricTimedOut(sum), workflow.metricAborted(sum)]),
      graph('Reconcile and alert delivery', [
        reconcileFailures,
        props.failedInvocations.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        ...Object.entries(props.topics).map(([name, topic]) => topic.metricNumberOfNotificationsFailed({ ...sum, label: `${name} delivery failed` })),
      ]),
    );
  }
}
