import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';
import { WatchWorkflow } from '../watch-workflow.ts';

/**
 * The legal clocks: the worker that judges a deadline when it falls due (alerts, performance
 * records, callbacks), the Standard workflow whose Wait states are the deadlines, and the hourly
 * reconcile that makes sure every open deadline has a running watcher.
 */
export class DeadlinesService extends Construct {
  readonly worker: ServiceFunction;
  readonly workflow: WatchWorkflow;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.worker = new ServiceFunction(this, 'Worker', {
      entry: 'services/deadlines/handlers/worker.ts',
      description: 'Deadline watch tasks: due, overdue alerts, callbacks, reconcile',
      ...functionDefaults(ctx),
      timeout: Duration.seconds(30),
    });
    new Grants(this.worker, ctx).caseData().startWorkflow().releaseWorkflow().publishAlerts();

    this.workflow = new WatchWorkflow(this, 'Workflow', { name: ctx.workflow.name, worker: this.worker.fn, tracing: ctx.observability.tracing });

    new events.Rule(this, 'Reconcile', {
      description: 'Makes sure every open legal deadline has a running watch workflow',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.worker.fn, { event: events.RuleTargetInput.fromObject({ action: 'reconcile' }) })],
    });
  }
}
