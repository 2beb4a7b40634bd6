import { afterAll, beforeAll, expect, it } from 'vitest';
import { fnArn, namedError, startEngine } from './test-helpers.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';

let env: Awaited<ReturnType<typeof startEngine>>;
let flakyCalls = 0;

beforeAll(async () => {
  env = await startEngine({
    // Fails its first call, so the Task's retry is exercised.
    flaky: () => {
      if (++flakyCalls === 1) throw namedError('Transient', 'first call fails');
      return { ok: true };
    },
  });
  env.sfn.createStateMachine({
    name: 'with-retry',
    definition: {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: { n: 1 }, Next: 'Call' },
        Call: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: fnArn('flaky'), 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    },
  });
  env.sfn.createStateMachine({ name: 'two-passes', definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } } });
});
afterAll(() => env?.stop());

it('counts executions, state transitions (states entered and retries) and history events per state machine', async () => {
  expect(env.sfn.usage()).toEqual({});

  const retried = env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn('with-retry'), input: '{}' });
  await env.sfn.whenIdle();
  await env.clock.advance(2_000);
  await env.sfn.whenIdle();
  expect(env.sfn.describeExecution(retried.executionArn).status).toBe('SUCCEEDED');
  const passes = [1, 2].map((i) => env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn('two-passes'), name: `run-${i}` }));
  await env.sfn.whenIdle();

  const usage = env.sfn.usage();
  // Prepare and Call entered once each, Call retried once.
  expect(usage['with-retry']).toEqual({ executions: 1, stateTransitions: 3, historyEvents: env.sfn.history(retried.executionArn).length });
  const passEvents = passes.reduce((sum, p) => sum + env.sfn.history(p.executionArn).length, 0);
  expect(usage['two-passes']).toEqual({ executions: 2, stateTransitions: 4, historyEvents: passEvents });
  expect(passEvents).toBe(2 * 6);

  // A snapshot: later executions do not change what was returned.
  env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn('two-passes') });
  await env.sfn.whenIdle();
  expect(usage['two-passes']!.executions).toBe(2);
  expect(env.sfn.usage()['two-passes']!.executions).toBe(3);
});
