/** Runs a definition synthesized by the real CDK constructs the project deploys with. */
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fnArn, startEngine } from './test-helpers.ts';

/** Just enough CloudFormation resolution for a DefinitionString: Fn::Join and pseudo-parameter Refs. */
function resolveCfn(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveCfn).join(separator);
  }
  if ('Ref' in v) return { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' }[v['Ref'] as string];
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function synthesizeDefinition(): string {
  const app = new App();
  const stack = new Stack(app, 'Workflow', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = (name: string) => lambda.Function.fromFunctionArn(stack, name, fnArn(name));
  const notify = new tasks.LambdaInvoke(stack, 'Notify', { lambdaFunction: fn('notify'), payloadResponseOnly: true, resultPath: '$.notice' });
  const ask = new tasks.LambdaInvoke(stack, 'AskOwner', {
    lambdaFunction: fn('ask'),
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, caseId: sfn.JsonPath.stringAt('$.caseId') }),
    taskTimeout: sfn.Timeout.duration(Duration.days(30)),
  }).addCatch(new sfn.Pass(stack, 'NoAnswer', { result: sfn.Result.fromObject({ approved: false }) }), {
    errors: [sfn.Errors.TIMEOUT],
    resultPath: '$.timeout',
  });
  const hearing = new sfn.Parallel(stack, 'Hearing', { resultSelector: { 'approved.$': '$[1].approved' }, resultPath: '$.hearing' })
    .branch(new sfn.Wait(stack, 'ObjectionPeriod', { time: sfn.WaitTime.duration(Duration.days(45)) }))
    .branch(ask);
  const record = new tasks.LambdaInvoke(stack, 'Record', {
    lambdaFunction: fn('record'),
    payload: sfn.TaskInput.fromObject({ caseId: sfn.JsonPath.stringAt('$.caseId'), notice: sfn.JsonPath.objectAt('$.notice') }),
    outputPath: '$.Payload',
  });
  const chain = new sfn.Wait(stack, 'UntilAnnounced', { time: sfn.WaitTime.timestampPath('$.announceAt') })
    .next(notify)
    .next(hearing)
    .next(
      new sfn.Choice(stack, 'Approved?')
        .when(sfn.Condition.booleanEquals('$.hearing.approved', true), record)
        .otherwise(new sfn.Fail(stack, 'Rejected', { error: 'Rejected', cause: 'the owner did not approve in time' })),
    );
  // The same JSON a StateMachine's DefinitionString gets, without the cost of a full synth.
  const graph = new sfn.StateGraph(chain.startState, 'expropriation');
  return resolveCfn(stack.resolve(stack.toJsonString(graph.toGraphJson()))) as string;
}

describe('a CDK-synthesized definition', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  const tokens = new Map<string, string>();
  let stateMachineArn: string;

  beforeAll(async () => {
    env = await startEngine({
      notify: (p) => ({ sentFor: p.caseId }),
      ask: (p) => void tokens.set(p.caseId, p.token),
      record: (p) => ({ recorded: p.caseId, notice: p.notice }),
    });
    stateMachineArn = env.sfn.createStateMachine({ name: 'expropriation', definition: synthesizeDefinition() }).arn;
  });
  afterAll(() => env?.stop());

  it('runs to the end when the owner answers, and to Rejected when the 30-day callback times out', async () => {
    const announceAt = new Date(env.clock.now() + 10 * DAY_MS).toISOString();
    const start = (caseId: string) =>
      env.client.send(new StartExecutionCommand({ stateMachineArn, name: caseId, input: JSON.stringify({ caseId, announceAt }) }));
    const answered = await start('case-A');
    const silent = await start('case-B');

    await env.clock.advance(10 * DAY_MS + 1000);
    expect(env.callsOf('notify')).toHaveLength(2);
    expect(env.callsOf('notify')[0]!.payload).toEqual({ caseId: 'case-A', announceAt });
    await env.client.send(new SendTaskSuccessCommand({ taskToken: tokens.get('case-A'), output: '{"approved":true}' }));

    await env.clock.advance(44 * DAY_MS);
    expect(env.sfn.describeExecution(answered.executionArn!).status).toBe('RUNNING'); // objection period not over
    await env.clock.advance(2 * DAY_MS);
    await env.sfn.whenIdle();

    const a = env.sfn.describeExecution(answered.executionArn!);
    expect(a.status).toBe('SUCCEEDED');
    expect(JSON.parse(a.output!)).toEqual({ recorded: 'case-A', notice: { sentFor: 'case-A' } });
    expect(env.sfn.describeExecution(silent.executionArn!)).toMatchObject({ status: 'FAILED', error: 'Rejected' });
    expect(env.callsOf('record')).toHaveLength(1);
  });
});
