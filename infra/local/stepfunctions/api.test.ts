import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fnArn, startEngine } from './test-helpers.ts';
import { validateDefinition } from './validate.ts';

const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const approval = {
  StartAt: 'Cooling',
  States: {
    Cooling: { Type: 'Wait', Seconds: 3 * 86400, Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: CALLBACK,
      Parameters: { FunctionName: fnArn('ask'), Payload: { 'token.$': '$$.Task.Token', 'caseId.$': '$.caseId' } },
      TimeoutSeconds: 7 * 86400,
      End: true,
    },
  },
};

describe('Step Functions API through the SDK', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  const tokens = new Map<string, string>();
  let arn: string;

  beforeAll(async () => {
    env = await startEngine({
      ask: (p) => {
        tokens.set(p.caseId, p.token);
        return {};
      },
    });
    arn = env.sfn.createStateMachine({ name: 'approval', definition: JSON.stringify(approval) }).arn;
  });
  afterAll(() => env?.stop());

  it('StartExecution is idempotent for a running execution with the same name and input', async () => {
    const first = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'case-1', input: '{"caseId":"1"}' }));
    const again = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'case-1', input: '{ "caseId": "1" }' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:approval:case-1');
    await expect(
      env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'case-1', input: '{"caseId":"2"}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(env.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: 'not json' }))).rejects.toBeInstanceOf(
      InvalidExecutionInput,
    );
    await expect(
      env.client.send(new StartExecutionCommand({ stateMachineArn: `${arn}-missing` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('DescribeExecution of an unknown execution throws ExecutionDoesNotExist', async () => {
    const missing = env.client.send(new DescribeExecutionCommand({ executionArn: `${arn.replace('stateMachine', 'execution')}:nope` }));
    await expect(missing).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('answers task tokens, refuses unknown ones, stops, lists and shows history', async () => {
    const { executionArn } = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'case-2', input: '{"caseId":"2"}' }));
    const stopped = await env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'case-3', input: '{"caseId":"3"}' }));
    await env.clock.advance(3 * DAY_MS + 1000);
    await env.sfn.whenIdle();
    expect(tokens.has('2')).toBe(true);

    await env.client.send(new SendTaskFailureCommand({ taskToken: tokens.get('2'), error: 'Refused', cause: 'owner objected' }));
    await env.sfn.whenIdle();
    const failed = await env.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Refused', cause: 'owner objected', input: '{"caseId":"2"}' });
    expect(failed.stopDate!.getTime()).toBeGreaterThan(failed.startDate!.getTime() + 3 * DAY_MS);

    await expect(env.client.send(new SendTaskFailureCommand({ taskToken: 'garbage', error: 'x' }))).rejects.toBeInstanceOf(InvalidToken);

    const stop = await env.client.send(new StopExecutionCommand({ executionArn: stopped.executionArn, error: 'Withdrawn', cause: 'case closed' }));
    expect(stop.stopDate).toBeInstanceOf(Date);
    expect(await env.client.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Withdrawn',
    });
    expect(env.sfn.openTasks().some((t) => t.executionArn === stopped.executionArn)).toBe(false);

    const running = await env.client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    expect(running.executions!.map((e) => e.name)).toEqual(['case-1']);
    const all = await env.client.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
    expect(all.executions!.map((e) => e.name)).toEqual(['case-3', 'case-2']);
    expect(all.nextToken).toBeDefined();

    const history = await env.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = history.events!.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskFailed',
      'ExecutionFailed',
    ]);
    expect(history.events![3]!.stateEnteredEventDetails).toMatchObject({ name: 'Ask' });
    expect(history.events!.at(-1)!.executionFailedEventDetails).toMatchObject({ error: 'Refused' });
  });

  it('keeps many concurrent executions independent', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `bulk-${i}`);
    await Promise.all(
      names.map((name) =>
        env.client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify({ caseId: name }) })),
      ),
    );
    await env.clock.advance(3 * DAY_MS + 1000);
    await env.sfn.whenIdle();
    names.forEach((name, i) => {
      if (i % 2 === 0) env.sfn.sendTaskSuccess(tokens.get(name)!, JSON.stringify({ approved: name }));
    });
    await env.clock.advance(7 * DAY_MS);
    await env.sfn.whenIdle();
    for (const [i, name] of names.entries()) {
      const e = env.sfn.describeExecution(`arn:aws:states:us-east-1:123456789012:execution:approval:${name}`);
      if (i % 2 === 0) expect(JSON.parse(e.output!)).toEqual({ approved: name });
      else expect(e).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    }
  });

  it('creates and describes state machines through the API, refusing invalid definitions', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const created = await env.client.send(new CreateStateMachineCommand({ name: 'tiny', definition, roleArn: 'arn:aws:iam::123456789012:role/x' }));
    const again = await env.client.send(new CreateStateMachineCommand({ name: 'tiny', definition, roleArn: 'arn:aws:iam::123456789012:role/x' }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);
    await expect(
      env.client.send(new CreateStateMachineCommand({ name: 'tiny', definition: JSON.stringify(approval), roleArn: 'arn:aws:iam::123456789012:role/x' })),
    ).rejects.toBeInstanceOf(StateMachineAlreadyExists);
    const described = await env.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: 'tiny', status: 'ACTIVE', type: 'STANDARD', definition });
    const listed = await env.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name)).toEqual(expect.arrayContaining(['approval', 'tiny']));

    const dangling = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const refused = env.client.send(new CreateStateMachineCommand({ name: 'bad', definition: dangling, roleArn: 'arn:aws:iam::123456789012:role/x' }));
    await expect(refused).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(refused).rejects.toThrow(/Nowhere/);
  });
});

describe('validateDefinition', () => {
  it('refuses a dangling Next, unreachable states and a callback task without timeout', () => {
    const problems = validateDefinition({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        Lost: { Type: 'Succeed' },
        Ask: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("state 'A' goes to missing state 'B'"),
        expect.stringContaining("state 'Lost' is not reachable"),
        expect.stringContaining("callback task 'Ask' has no TimeoutSeconds"),
      ]),
    );
  });

  it('looks inside Parallel branches and Catch targets', () => {
    const problems = validateDefinition({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Next: 'Y' }, Y: { Type: 'Wait', Seconds: 1, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }],
          End: true,
        },
      },
    });
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining("state 'P' goes to missing state 'Gone'")]));
    expect(validateDefinition(approval)).toEqual([]);
  });

  it('createStateMachine throws naming the problem', async () => {
    const env = await startEngine();
    try {
      expect(() =>
        env.sfn.createStateMachine({ name: 'x', definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } } }),
      ).toThrow(/missing state 'B'/);
    } finally {
      await env.stop();
    }
  });
});

describe('the engine log', () => {
  it('tells an error a Catch handles (a normal path of the definition) from a failure', async () => {
    const env = await startEngine({ check: () => Promise.reject(Object.assign(new Error('week over'), { name: 'States.Timeout' })) });
    try {
      const definition = {
        StartAt: 'Check',
        States: {
          Check: { Type: 'Task', Resource: fnArn('check'), Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Again' }], End: true },
          Again: { Type: 'Fail', Error: 'Gave.Up' },
        },
      };
      const machine = env.sfn.createStateMachine({ name: 'recheck', definition: JSON.stringify(definition) });
      await env.client.send(new StartExecutionCommand({ stateMachineArn: machine.arn, name: 'r1', input: '{}' }));
      await env.sfn.whenIdle();
      const lines = env.lines.filter((l) => l.includes('state Check'));
      expect(lines).toEqual([expect.stringContaining('States.Timeout handled by its Catch (→ Again)')]);
      expect(lines.join('\n')).not.toMatch(/caught/);
    } finally {
      await env.stop();
    }
  });
});
