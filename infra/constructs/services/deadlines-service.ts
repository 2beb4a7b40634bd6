import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';
import { MaintenanceWorkflow } from '../maintenance-workflow.ts';
import { WatchWorkflow } from '../watch-workflow.ts';

/**
 * The legal clocks: the worker that judges a deadline when it falls due (alerts, performance
 * records, callbacks), the Standard workflow whose Wait states are the deadlines, and the
 * deadline-maintenance workflow whose jobs walk the live deadlines a page at a time: the hourly
 * reconcile (every open deadline has a watcher waiting on its recorded instant) and the recount
 * after a holiday correction.
 */
export class DeadlinesService extends Construct {
  readonly worker: ServiceFunction;
  readonly workflow: WatchWorkflow;
  readonly maintenance: MaintenanceWorkflow;
  /** Reconcile events neither EventBridge nor Lambda could get through, after their retries. */
  readonly failedInvocations: sqs.Queue;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.worker = new ServiceFunction(this, 'Worker', {
      entry: 'services/deadlines/handlers/worker.ts',
      description: 'Deadline watch tasks: due, overdue alerts, callbacks; maintenance pages (reconcile, recount)',
      ...functionDefaults(ctx),
      timeout: Duration.seconds(30),
    });

    this.workflow = new WatchWorkflow(this, 'Workflow', { name: ctx.workflow.name, worker: this.worker.fn, tracing: ctx.observability.tracing });

    this.maintenance = new MaintenanceWorkflow(this, 'Maintenance', { name: ctx.maintenance.name, worker: this.worker.fn, tracing: ctx.observability.tracing });

    this.failedInvocations = new sqs.Queue(this, 'FailedInvocations', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: ctx.data.alertsKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the reconcile (EventBridge target DLQ and Lambda on-failure destination); an alarm watches its depth.',
    });
    // Stop: a reconcile or recount page replaces a workflow that waits on instants the records no longer hold.
    new Grants(this.worker, ctx).caseData().pagedLists().startWorkflow({ stop: true }).releaseWorkflow().publishAlerts().startMaintenance().sendFailedInvocations(this.failedInvocations.queueArn);
    // The schedule invokes asynchronously: Lambda retries a failed run twice, then parks the event
    // here (the workflow's invocations are synchronous and fail into its own Catch instead).
    const queueArn = this.failedInvocations.queueArn;
    this.worker.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: { bind: () => ({ destination: queueArn }) } });

    // The rule only starts the hour's reconcile job (named by the hour, so a repeated delivery is one job).
    new events.Rule(this, 'Reconcile', {
      description: 'Starts the hourly reconcile job: every open legal deadline has a watch workflow waiting on its recorded instant',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [
        new targets.LambdaFunction(this.worker.fn, {
          event: events.RuleTargetInput.fromObject({ action: 'reconcile' }),
          // The next hourly run reconciles anyway: an event older than that is not worth delivering.
          retryAttempts: 8,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.failedInvocations,
        }),
      ],
    });
  }
}

