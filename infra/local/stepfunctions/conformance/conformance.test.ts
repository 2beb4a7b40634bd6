/**
 * Runs AWS-recorded cases (see README.md here) on the local engine and compares each execution's
 * end: output, or error and cause. A recorded cause may hold `<json-input:N>`, LocalStack's
 * placeholder for a JSON text, which matches any text.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../asl.ts';
import { DAY_MS, startEngine } from '../test-helpers.ts';

interface Run {
  recorded: string;
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
}
interface Group {
  name: string;
  template: string;
  definition: object;
  runs: Run[];
  note?: string;
  lambdas?: Record<string, 'large-output'>;
}

const recorded = JSON.parse(readFileSync(new URL('./localstack-recorded.json', import.meta.url), 'utf8')) as { groups: Group[] };

/** The fake Lambdas recorded cases call, by behaviour. */
const behaviours = {
  // lambdafunctions/large_output_string.py: 257 KiB of 'a'.
  'large-output': () => 'a'.repeat(257 * 1024),
};

function causePattern(cause: string): RegExp {
  const parts = cause.split(/<json-input:\d+>/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

describe('AWS-recorded conformance cases (LocalStack snapshots)', () => {
  let env: Awaited<ReturnType<typeof startEngine>>;
  beforeAll(async () => {
    env = await startEngine({ large_output_string: behaviours['large-output'] });
  });
  afterAll(() => env?.stop());

  for (const [g, group] of recorded.groups.entries()) {
    describe(group.name, () => {
      for (const [r, run] of group.runs.entries()) {
        it(`${JSON.stringify(run.input).slice(0, 80)} (${run.recorded.split(' :: ')[1]})`, async () => {
          const name = `c${g}-${r}`;
          env.sfn.createStateMachine({ name, definition: group.definition });
          const { executionArn } = env.sfn.startExecution({ stateMachineArn: env.sfn.stateMachineArn(name), input: JSON.stringify(run.input) });
          await env.sfn.whenIdle();
          // Recorded waits are in the past or a few seconds long.
          if (env.sfn.describeExecution(executionArn).status === 'RUNNING') await env.clock.advance(DAY_MS);
          await env.sfn.whenIdle();
          const done = env.sfn.describeExecution(executionArn);
          if (run.error === undefined) {
            expect(done, done.cause).toMatchObject({ status: 'SUCCEEDED' });
            expect(JSON.parse(done.output!)).toEqual(run.output);
          } else {
            expect({ status: done.status, error: done.error }).toEqual({ status: 'FAILED', error: run.error });
            if (run.cause !== undefined) expect(done.cause).toMatch(causePattern(run.cause));
          }
        });
      }
    });
  }
});
