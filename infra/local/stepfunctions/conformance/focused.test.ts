/**
 * The AWS behaviours an outside probe found the engine missing that the recorded cases
 * (localstack-recorded.json) do not pin down on their own. Each cites where the behaviour comes from.
 */
import { SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../asl.ts';
import { rfc3339Ms } from '../interpreter.ts';
import { evaluateIntrinsic } from '../intrinsics.ts';
import { startEngine } from '../test-helpers.ts';

const intrinsic = (expression: string, input: Json = {}) => evaluateIntrinsic(expression, input, {});

describe('intrinsics', () => {
  it('ArrayPartition refuses a chunk size below 1 with States.Runtime instead of looping', () => {
    // AWS: "You must specify a non-zero, positive integer for the second argument".
    for (const size of [0, -1, 0.4]) {
      expect(() => intrinsic('States.ArrayPartition($.a, $.n)', { a: [1, 2, 3], n: size })).toThrow(
        expect.objectContaining({ name: 'States.Runtime', message: expect.stringMatching(/positive integer as chunk size/) }),
      );
    }
    expect(intrinsic('States.ArrayPartition($.a, 1.5)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
  });

  it('StringSplit takes every separator character literally, - included', () => {
    expect(intrinsic("States.StringSplit('a-z,b', 'a-z')")).toEqual([',b']);
    expect(intrinsic("States.StringSplit('2026-10-01 08:00', '- :')")).toEqual(['2026', '10', '01', '08', '00']);
    expect(intrinsic("States.StringSplit('x]y^z\\\\w', ']^\\\\')")).toEqual(['x', 'y', 'z', 'w']);
  });

  it('Format writes nested objects and arrays Java-style, null and numbers as JSON', () => {
    const value = { a: { b: [1, 'x', null, { c: true }] }, d: [] };
    expect(intrinsic("States.Format('{} {}', $.v, $.w)", { v: value, w: [1.5, 'y'] })).toBe('{a={b=[1, x, null, {c=true}]}, d=[]} [1.5, y]');
  });

  it('MathAdd rounds each operand half-up before adding', () => {
    expect(intrinsic('States.MathAdd(1.5, -1.49)')).toBe(1);
    expect(intrinsic('States.MathAdd(-2.5, 0)')).toBe(-2);
    expect(Object.is(intrinsic('States.MathAdd(-0.5, 0)'), 0)).toBe(true);
  });

  it('StringToJson gives null for a blank string', () => {
    expect(intrinsic("States.StringToJson('')")).toBeNull();
    expect(intrinsic("States.StringToJson('  ')")).toBeNull();
  });
});

describe('RFC 3339 timestamps as Wait accepts them', () => {
  it('accepts Z or an offset with any fraction; refuses no zone, a space, lowercase and impossible dates', () => {
    expect(rfc3339Ms('2016-12-05T21:29:29Z')).toBe(Date.UTC(2016, 11, 5, 21, 29, 29));
    expect(rfc3339Ms('2016-12-06T05:29:29.5+08:00')).toBe(Date.UTC(2016, 11, 5, 21, 29, 29, 500));
    expect(rfc3339Ms('2016-12-05T21:29:29.243167252Z')).toBe(Date.UTC(2016, 11, 5, 21, 29, 29, 243));
    for (const bad of ['2016-12-05T21:29:29', '2016-12-05 21:29:29Z', '2016-12-05t21:29:29z', '2016-02-30T00:00:00Z', '2016-12-05T24:00:00Z', '2016-12-05T21:29:29+0800']) {
      expect(rfc3339Ms(bad), bad).toBeUndefined();
    }
  });
});

describe('executions', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  beforeAll(async () => {
    env = await startEngine();
  });
  afterAll(() => env?.stop());

  async function run(definition: object, input: Json) {
    const name = `f${Math.random().toString(36).slice(2)}`;
    env.sfn.createStateMachine({ name, definition });
    const { executionArn } = env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn(name), input: JSON.stringify(input) });
    await env.sfn.whenIdle();
    return env.sfn.describeExecution(executionArn);
  }

  it('fails a state whose output passes 256 KiB with States.DataLimitExceeded (test_start_large_input)', async () => {
    // LocalStack tests/aws/services/stepfunctions/v2/error_handling/test_states_errors.py::test_start_large_input
    const done = await run({ StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'a'.repeat(257 * 1024) }, End: true } } }, {});
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
  });

  it('counts UTF-8 bytes, not characters, and lets exactly 262,144 bytes through', async () => {
    const definition = (text: string) => ({ StartAt: 'S', States: { S: { Type: 'Pass', Result: text, End: true } } });
    const fits = 'a'.repeat(262_144 - 2); // JSON quotes take the last two bytes
    expect((await run(definition(fits), {})).status).toBe('SUCCEEDED');
    const chinese = '征'.repeat(90_000); // 90,000 characters, 270,000 bytes
    expect(await run(definition(chinese), {})).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('a Map whose gathered results pass the limit fails the Map state', async () => {
    const done = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'v.$': "States.Format('{}{}{}{}', $$.Map.Item.Value, $$.Map.Item.Value, $$.Map.Item.Value, $$.Map.Item.Value)" },
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { items: Array.from({ length: 4 }, () => 'b'.repeat(20_000)) },
    );
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause: expect.stringContaining("'M'") });
  });

  it('StartExecution refuses input over 256 KiB with ValidationException', async () => {
    const name = 'big-input';
    env.sfn.createStateMachine({ name, definition: { StartAt: 'S', States: { S: { Type: 'Succeed' } } } });
    const input = JSON.stringify({ text: 'a'.repeat(262_144) });
    const error = await env.client
      .send(new StartExecutionCommand({ stateMachineArn: env.sfn.stateMachineArn(name), input }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SFNServiceException);
    expect((error as SFNServiceException).name).toBe('ValidationException');
    expect((error as Error).message).toMatch(/Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144/);
    expect(env.sfn.executions({ stateMachineArn: env.sfn.stateMachineArn(name) })).toHaveLength(0);
  });

  it('a JSONPath filter in ErrorPath/CausePath is run, and its list becomes JSON text', async () => {
    const done = await run(
      { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: "$.errors[?(@.fatal == true)].code", CausePath: "States.Format('{} of {}', $.errors[0].code, $.case)" } } },
      { case: 'C-1', errors: [{ code: 'Stale', fatal: true }, { code: 'Minor', fatal: false }] },
    );
    expect(done).toMatchObject({ status: 'FAILED', error: '["Stale"]', cause: 'Stale of C-1' });
  });

  it('a negative MaxConcurrencyPath fails with States.Runtime (AWS stalls; failing says more)', async () => {
    const done = await run(
      {
        StartAt: 'M',
        States: { M: { Type: 'Map', ItemsPath: '$.items', MaxConcurrencyPath: '$.m', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
      },
      { m: -1, items: [1] },
    );
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining('negative value: $.m == -1') });
  });

  it('an ArrayPartition by 0 fails the execution instead of exhausting memory', async () => {
    const done = await run(
      { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'parts.$': 'States.ArrayPartition($.a, $.n)' }, End: true } } },
      { a: [1, 2, 3], n: 0 },
    );
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
