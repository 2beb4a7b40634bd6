import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fnArn, namedError, startEngine } from './test-helpers.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';

describe('states and data flow', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  let flakyFailures = 0;

  beforeAll(async () => {
    env = await startEngine({
      flaky: (p) => {
        if (flakyFailures-- > 0) throw namedError('TransientError', 'database busy');
        return { ok: p.n };
      },
      validate: (p) => {
        if (p.area < 0) throw namedError('ValidationError', `area ${p.area} is negative`);
        if (p.area === 0) throw new TypeError('boom');
        return { valid: true };
      },
      echo: (p) => p,
      nothing: () => undefined,
    });
  });
  afterAll(() => env?.stop());

  async function run(definition: object, input: unknown) {
    const name = `m${Math.random().toString(36).slice(2)}`;
    env.sfn.createStateMachine({ name, definition });
    const { executionArn } = await env.client.send(
      new StartExecutionCommand({ stateMachineArn: env.sfn.stateMachineArn(name), input: JSON.stringify(input) }),
    );
    await env.sfn.whenIdle();
    return { executionArn: executionArn!, describe: () => env.client.send(new DescribeExecutionCommand({ executionArn })) };
  }

  it('retries a named Lambda error with backoff in virtual time', async () => {
    flakyFailures = 2;
    const before = env.callsOf('flaky').length;
    const exec = await run(
      {
        StartAt: 'Save',
        States: {
          Save: {
            Type: 'Task',
            Resource: INVOKE,
            Parameters: { FunctionName: fnArn('flaky'), 'Payload.$': '$' },
            Retry: [
              { ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 6 },
              { ErrorEquals: ['TransientError'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 },
            ],
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      { n: 7 },
    );
    const calls = () => env.callsOf('flaky').slice(before);
    expect(calls()).toHaveLength(1);
    expect((await exec.describe()).status).toBe('RUNNING');
    await env.clock.advance(59_000);
    expect(calls()).toHaveLength(1);
    await env.clock.advance(2_000);
    expect(calls()).toHaveLength(2);
    await env.clock.advance(120_000);
    await env.sfn.whenIdle();
    expect(calls()).toHaveLength(3);
    expect(calls()[2]!.atMs - calls()[0]!.atMs).toBeGreaterThanOrEqual(180_000);
    const done = await exec.describe();
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ ok: 7 });
  });

  it('catches a named error into ResultPath, States.TaskFailed catches others, uncaught ones fail', async () => {
    const definition = {
      StartAt: 'Validate',
      States: {
        Validate: {
          Type: 'Task',
          Resource: fnArn('validate'),
          ResultPath: '$.validation',
          Catch: [
            { ErrorEquals: ['ValidationError'], ResultPath: '$.error', Next: 'Rejected' },
            { ErrorEquals: ['States.TaskFailed'], ResultPath: null, Next: 'Broken' },
          ],
          Next: 'Accepted',
        },
        Accepted: { Type: 'Succeed' },
        Rejected: { Type: 'Pass', Parameters: { 'reason.$': '$.error.Error', 'cause.$': 'States.StringToJson($.error.Cause)' }, End: true },
        Broken: { Type: 'Fail', Error: 'Broken', Cause: 'validator crashed' },
      },
    };
    const ok = await run(definition, { area: 5 });
    expect(JSON.parse((await ok.describe()).output!)).toEqual({ area: 5, validation: { valid: true } });

    const rejected = JSON.parse((await (await run(definition, { area: -1 })).describe()).output!);
    expect(rejected.reason).toBe('ValidationError');
    expect(rejected.cause).toMatchObject({ errorType: 'ValidationError', errorMessage: 'area -1 is negative' });

    const broken = await (await run(definition, { area: 0 })).describe();
    expect(broken).toMatchObject({ status: 'FAILED', error: 'Broken', cause: 'validator crashed' });

    const uncaught = await (
      await run({ StartAt: 'V', States: { V: { Type: 'Task', Resource: fnArn('validate'), End: true } } }, { area: -2 })
    ).describe();
    expect(uncaught.status).toBe('FAILED');
    expect(uncaught.error).toBe('ValidationError');
    expect(JSON.parse(uncaught.cause!).errorMessage).toBe('area -2 is negative');
    expect(env.lines.some((l) => l.includes('state V: ValidationError (not caught): area -2 is negative'))).toBe(true);
  });

  it('routes Choice rules (comparisons, IsPresent, And/Or/Not, Default)', async () => {
    const definition = {
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { And: [{ Variable: '$.area', IsPresent: true }, { Variable: '$.area', NumericGreaterThanEquals: 100 }], Next: 'Large' },
            { Variable: '$.kind', StringEquals: 'collective', Next: 'Collective' },
            { Or: [{ Variable: '$.kind', StringMatches: 'house*' }, { Not: { Variable: '$.urgent', BooleanEquals: false } }], Next: 'Other' },
            { Variable: '$.due', TimestampLessThanPath: '$.now', Next: 'Late' },
          ],
          Default: 'Fallback',
        },
        Large: { Type: 'Pass', Result: 'large', End: true },
        Collective: { Type: 'Pass', Result: 'collective', End: true },
        Other: { Type: 'Pass', Result: 'other', End: true },
        Late: { Type: 'Pass', Result: 'late', End: true },
        Fallback: { Type: 'Pass', Result: 'fallback', End: true },
      },
    };
    const route = async (input: object) => JSON.parse((await (await run(definition, input)).describe()).output!);
    expect(await route({ area: 150, kind: 'collective' })).toBe('large');
    expect(await route({ area: 50, kind: 'collective' })).toBe('collective');
    expect(await route({ kind: 'house-rural', urgent: false })).toBe('other');
    expect(await route({ kind: 'shop', urgent: true })).toBe('other');
    expect(await route({ kind: 'shop', urgent: false, due: '2026-01-01T00:00:00Z', now: '2026-02-01T00:00:00Z' })).toBe('late');
    expect(await route({ kind: 'shop', urgent: false, due: '2026-03-01T00:00:00Z', now: '2026-02-01T00:00:00Z' })).toBe('fallback');
    // A missing Variable without IsPresent is a States.Runtime failure, as on AWS.
    expect(await (await run(definition, { kind: 'shop' })).describe()).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('applies InputPath, Parameters, ResultSelector, ResultPath and OutputPath like AWS', async () => {
    const exec = await run(
      {
        StartAt: 'Full',
        States: {
          Full: {
            Type: 'Task',
            Resource: INVOKE,
            Parameters: { FunctionName: fnArn('echo'), 'Payload.$': '$' },
            Next: 'Selected',
          },
          Selected: {
            Type: 'Task',
            Resource: INVOKE,
            InputPath: '$.Payload',
            Parameters: { FunctionName: fnArn('echo'), Payload: { 'id.$': '$.case.id', 'label.$': "States.Format('case {} of {}', $.case.id, $.case.owner)" } },
            ResultSelector: { 'Payload.$': '$.Payload', 'code.$': '$.StatusCode' },
            ResultPath: '$.result',
            Next: 'Discard',
          },
          Discard: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: fnArn('nothing') }, ResultPath: null, Next: 'Shape' },
          Shape: {
            Type: 'Pass',
            Parameters: {
              // ResultPath put Selected's result beside its raw input (Full's output: ExecutedVersion/Payload/StatusCode).
              'ids.$': 'States.Array($.Payload.case.id, $.result.Payload.id)',
              'next.$': 'States.MathAdd($.Payload.case.n, 1)',
              'json.$': 'States.JsonToString($.result.code)',
              'all.$': '$.Payload.items[*].v',
              'version.$': '$.ExecutedVersion',
              literal: { nested: true },
            },
            OutputPath: '$',
            End: true,
          },
        },
      },
      { case: { id: 'C-9', owner: 'Li', n: 4 }, items: [{ v: 1 }, { v: 2 }] },
    );
    const done = await exec.describe();
    expect(done, done.cause).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.parse(done.output!)).toEqual({ ids: ['C-9', 'C-9'], next: 5, json: '200', all: [1, 2], version: '$LATEST', literal: { nested: true } });
    const selectedCall = env.callsOf('echo').at(-1)!;
    expect(selectedCall.payload).toEqual({ id: 'C-9', label: 'case C-9 of Li' });
  });

  it('runs Map iterations with ItemSelector and $$.Map.Item', async () => {
    const exec = await run(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.parcels',
            MaxConcurrency: 2,
            ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'owner.$': '$.owner' },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'Echo',
              States: { Echo: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: fnArn('echo'), 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
            },
            ResultPath: '$.results',
            End: true,
          },
        },
      },
      { owner: 'Wang', parcels: ['p1', 'p2', 'p3'] },
    );
    expect(JSON.parse((await exec.describe()).output!).results).toEqual([
      { parcel: 'p1', index: 0, owner: 'Wang' },
      { parcel: 'p2', index: 1, owner: 'Wang' },
      { parcel: 'p3', index: 2, owner: 'Wang' },
    ]);
  });

  it('fails clearly on a Task resource it does not emulate', async () => {
    const exec = await run(
      { StartAt: 'Publish', States: { Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 'x', Message: 'hi' }, End: true } } },
      {},
    );
    const done = await exec.describe();
    expect(done.status).toBe('FAILED');
    expect(done.cause).toContain("resource 'arn:aws:states:::sns:publish' is not supported");
  });
});
