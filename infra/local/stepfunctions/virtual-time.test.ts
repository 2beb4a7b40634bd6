import { DescribeExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, T0, fnArn, startEngine } from './test-helpers.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

describe('virtual time', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  const tokens: string[] = [];

  beforeAll(async () => {
    env = await startEngine({
      notify: (p) => ({ notified: p.caseId, entered: p.entered }),
      askApproval: (p) => {
        tokens.push(p.token);
        return { asked: true };
      },
      record: (p) => ({ recorded: p }),
    });
    env.sfn.createStateMachine({
      name: 'objection-period',
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:objection-period',
      definition: {
        StartAt: 'WaitForDeadline',
        States: {
          WaitForDeadline: { Type: 'Wait', TimestampPath: '$.deadline', Next: 'Notify' },
          Notify: {
            Type: 'Task',
            Resource: INVOKE,
            Parameters: {
              FunctionName: fnArn('notify'),
              Payload: { 'caseId.$': '$.caseId', 'entered.$': '$$.State.EnteredTime', 'started.$': '$$.Execution.StartTime' },
            },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
    });
    env.sfn.createStateMachine({
      name: 'long-wait',
      definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 200 * 86400, End: true } } },
    });
    env.sfn.createStateMachine({
      name: 'hearing',
      definition: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Cooling', States: { Cooling: { Type: 'Wait', Seconds: 45 * 86400, End: true } } },
              {
                StartAt: 'AskApproval',
                States: {
                  AskApproval: {
                    Type: 'Task',
                    Resource: CALLBACK,
                    Parameters: { FunctionName: fnArn('askApproval'), Payload: { 'token.$': '$$.Task.Token', 'caseId.$': '$.caseId' } },
                    TimeoutSeconds: 30 * 86400,
                    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Escalate' }],
                    End: true,
                  },
                  Escalate: { Type: 'Pass', Parameters: { 'escalated.$': '$.timeout.Error' }, End: true },
                },
              },
            ],
            ResultSelector: { 'approval.$': '$[1]' },
            Next: 'Record',
          },
          Record: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: fnArn('record'), 'Payload.$': '$' }, OutputPath: '$.Payload', End: true },
        },
      },
    });
    env.sfn.createStateMachine({
      name: 'bare-callback',
      definition: {
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: fnArn('askApproval'), Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSeconds: 30 * 86400,
            HeartbeatSeconds: 2 * 86400,
            End: true,
          },
        },
      },
    });
  });
  afterAll(() => env?.stop());

  const status = async (executionArn: string) =>
    (await env.client.send(new DescribeExecutionCommand({ executionArn }))).status;

  it('waits 45 days for a TimestampPath and runs the next task then, at virtual time', async () => {
    const start = env.clock.now();
    const deadline = new Date(start + 45 * DAY_MS).toISOString();
    const { executionArn } = await env.client.send(
      new StartExecutionCommand({
        stateMachineArn: env.sfn.stateMachineArn('objection-period'),
        input: JSON.stringify({ caseId: 'C-1', deadline }),
      }),
    );
    await env.clock.advanceTo(Date.parse(deadline) - 60_000);
    expect(await status(executionArn!)).toBe('RUNNING');
    expect(env.callsOf('notify')).toHaveLength(0);

    await env.clock.advance(120_000);
    await env.sfn.whenIdle();
    expect(env.callsOf('notify')).toHaveLength(1);
    const entered = Date.parse(env.callsOf('notify')[0]!.payload.entered);
    expect(entered).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(entered).toBeLessThanOrEqual(env.clock.now());
    const started = Date.parse(env.callsOf('notify')[0]!.payload.started);
    expect(started).toBeGreaterThanOrEqual(start);
    expect(started).toBeLessThan(start + DAY_MS);

    const done = await env.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ notified: 'C-1', entered: env.callsOf('notify')[0]!.payload.entered });
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(Date.parse(deadline));
  });

  it('a Wait whose timestamp has passed continues at once', async () => {
    const { executionArn } = env.sfn.startExecution({
      stateMachineArn: env.sfn.stateMachineArn('objection-period'),
      input: JSON.stringify({ caseId: 'C-past', deadline: '2020-01-01T00:00:00Z' }),
    });
    await env.sfn.whenIdle();
    expect(env.sfn.describeExecution(executionArn).status).toBe('SUCCEEDED');
  });

  it('waits 200 days (far past the 2^31-1 ms setTimeout limit)', async () => {
    const { executionArn } = env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn('long-wait') });
    await env.clock.advance(199 * DAY_MS);
    expect(env.sfn.describeExecution(executionArn).status).toBe('RUNNING');
    await env.clock.advance(DAY_MS);
    await env.sfn.whenIdle();
    expect(env.sfn.describeExecution(executionArn).status).toBe('SUCCEEDED');
  });

  it('Parallel: a callback answered before its 30-day timeout flows on; one left alone times out into its Catch', async () => {
    const arn = env.sfn.stateMachineArn('hearing');
    tokens.length = 0;
    const answered = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'answered', input: '{"caseId":"A"}' }));
    await env.sfn.whenIdle();
    const ignored = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'ignored', input: '{"caseId":"B"}' }));
    await env.sfn.whenIdle();
    expect(tokens).toHaveLength(2);
    expect(env.callsOf('askApproval').map((c) => c.payload.caseId)).toEqual(['A', 'B']);

    await env.clock.advance(10 * DAY_MS);
    await env.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ approved: true }) }));
    await env.sfn.whenIdle();
    expect(env.sfn.openTasks().map((t) => t.executionArn)).toEqual([ignored.executionArn]);

    await env.clock.advance(21 * DAY_MS); // day 31: the ignored one's callback has timed out
    expect(env.sfn.openTasks()).toHaveLength(0);
    await expect(
      env.client.send(new SendTaskSuccessCommand({ taskToken: tokens[1], output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    expect(await status(answered.executionArn!)).toBe('RUNNING'); // the 45-day branch still waits

    await env.clock.advance(15 * DAY_MS);
    await env.sfn.whenIdle();
    const a = env.sfn.describeExecution(answered.executionArn!);
    const b = env.sfn.describeExecution(ignored.executionArn!);
    expect([a.status, b.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(JSON.parse(a.output!)).toEqual({ recorded: { approval: { approved: true } } });
    expect(JSON.parse(b.output!)).toEqual({ recorded: { approval: { escalated: 'States.Timeout' } } });
    expect(env.callsOf('record').every((c) => c.atMs >= T0 + 45 * DAY_MS)).toBe(true);
  });

  it('an uncaught callback timeout fails the execution with States.Timeout; heartbeats keep it alive', async () => {
    const arn = env.sfn.stateMachineArn('bare-callback');
    tokens.length = 0;
    const beating = env.sfn.startExecution({ stateMachineArn: arn, name: 'beating' });
    const silent = env.sfn.startExecution({ stateMachineArn: arn, name: 'silent' });
    await env.sfn.whenIdle();
    await env.clock.advance(DAY_MS);
    env.sfn.sendTaskHeartbeat(tokens[0]!);
    await env.clock.advance(1.5 * DAY_MS); // silent missed its 2-day heartbeat; beating's is due on day 3
    expect(env.sfn.describeExecution(silent.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(env.sfn.describeExecution(beating.executionArn).status).toBe('RUNNING');

    for (let day = 0; day < 30 && env.sfn.describeExecution(beating.executionArn).status === 'RUNNING'; day++) {
      env.sfn.sendTaskHeartbeat(tokens[0]!);
      await env.clock.advance(DAY_MS);
    }
    const beatingInfo = env.sfn.describeExecution(beating.executionArn);
    expect(beatingInfo).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(beatingInfo.stopMs! - beatingInfo.startMs).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(env.lines.some((l) => l.includes('bare-callback/silent FAILED States.HeartbeatTimeout'))).toBe(true);
  });

  it('TimeoutSecondsPath bounds a callback; an execution-level TimeoutSeconds ends it as TIMED_OUT', async () => {
    env.sfn.createStateMachine({
      name: 'bounded',
      definition: {
        TimeoutSeconds: 60 * 86400,
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: CALLBACK,
            Parameters: { FunctionName: fnArn('askApproval'), Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSecondsPath: '$.answerWithinSeconds',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Linger' }],
            Next: 'Linger',
          },
          Linger: { Type: 'Wait', Seconds: 365 * 86400, End: true },
        },
      },
    });
    const arn = env.sfn.stateMachineArn('bounded');
    const quick = env.sfn.startExecution({ stateMachineArn: arn, input: JSON.stringify({ answerWithinSeconds: 5 * 86400 }) });
    await env.sfn.whenIdle();
    const asked = env.sfn.openTasks().find((t) => t.executionArn === quick.executionArn)!;
    expect(asked.deadlineMs - asked.startedMs).toBe(5 * DAY_MS);
    await env.clock.advance(5 * DAY_MS + 1000);
    expect(env.sfn.openTasks().some((t) => t.executionArn === quick.executionArn)).toBe(false);
    const history = env.sfn.history(quick.executionArn).map((e) => e.type);
    expect(history).toContain('TaskTimedOut');
    expect(history.at(-1)).toBe('WaitStateEntered');

    await env.clock.advance(55 * DAY_MS);
    expect(env.sfn.describeExecution(quick.executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(env.sfn.history(quick.executionArn).at(-1)!.type).toBe('ExecutionTimedOut');
  });
});
