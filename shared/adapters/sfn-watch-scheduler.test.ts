import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  StartExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../calendar/index.ts';
import { WatcherGaveUpError, workflowInput } from '../deadlines/scheduler.ts';
import { watchRule } from '../deadlines/watch-rules.ts';
import { openWatch, type DeadlineWatch } from '../deadlines/watch.ts';
import { SfnWatchScheduler } from './sfn-watch-scheduler.ts';

/**
 * `ensure` and its walk over a phase's generations (`P1-project`, `P1-project-r1`, …), against a
 * scripted Step Functions: which names it describes, stops and starts, and when it gives up.
 */
const MACHINE = 'arn:aws:states:cn-north-1:000000000000:stateMachine:watch';
const arnOf = (name: string) => `arn:aws:states:cn-north-1:000000000000:execution:watch:${name}`;
type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

function fakeSfn(executions: Record<string, { status: Status; input?: string }>, options: { startFails?: Error } = {}) {
  const calls: string[] = [];
  const started: Array<{ name: string; input: unknown }> = [];
  const nameOf = (arn: string) => arn.slice(arnOf('').length);
  const sfn = {
    send: async (command: unknown) => {
      if (command instanceof DescribeExecutionCommand) {
        const name = nameOf(command.input.executionArn!);
        calls.push(`describe ${name}`);
        const found = executions[name];
        if (!found) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${command.input.executionArn}'`, $metadata: {} });
        return { executionArn: command.input.executionArn, status: found.status, input: found.input ?? '{}' };
      }
      if (command instanceof StopExecutionCommand) {
        const name = nameOf(command.input.executionArn!);
        calls.push(`stop ${name}`);
        executions[name] = { ...executions[name]!, status: 'ABORTED' };
        return { stopDate: new Date() };
      }
      if (command instanceof StartExecutionCommand) {
        expect(command.input.stateMachineArn).toBe(MACHINE);
        calls.push(`start ${command.input.name}`);
        if (options.startFails) throw options.startFails;
        started.push({ name: command.input.name!, input: JSON.parse(command.input.input!) });
        executions[command.input.name!] = { status: 'RUNNING', input: command.input.input! };
        return { executionArn: arnOf(command.input.name!) };
      }
      throw new Error(`unexpected command ${(command as object).constructor.name}`);
    },
  } as unknown as SFNClient;
  return { scheduler: new SfnWatchScheduler(sfn, MACHINE), calls, started };
}

const calendar = HolidayCalendar.builtIn();
const watch = openWatch({ caseId: 'P1', phase: 'project', jurisdiction: 'yongzhou/lengshuitan' }, watchRule('implementation-plan'), new Date('2026-09-01T02:00:00Z'), calendar);
// The same deadline re-counted on a corrected calendar (16 → 19 Oct).
const moved: DeadlineWatch = { ...watch, lastDay: '2026-10-19', dueAt: '2026-10-19T16:00:00.000Z' };
const NOW = new Date('2026-09-01T03:00:00Z');
const inputOf = (watches: DeadlineWatch[], now = NOW) => JSON.stringify(workflowInput('P1', 'project', watches, now));
/** `count` earlier generations of P1's project phase ended with `statuses` in turn. */
const generations = (count: number, statuses: Status[]) =>
  Object.fromEntries(Array.from({ length: count }, (_, g) => [g === 0 ? 'P1-project' : `P1-project-r${g}`, { status: statuses[g % statuses.length]!, input: inputOf([watch]) }]));

describe('SfnWatchScheduler.ensure', () => {
  it('leaves a running execution alone when its input waits on the recorded instants', async () => {
    const { scheduler, calls } = fakeSfn({ 'P1-project': { status: 'RUNNING', input: inputOf([watch]) } });
    await expect(scheduler.ensure('P1', 'project', [watch], NOW)).resolves.toBe('running');
    expect(calls).toEqual(['describe P1-project']);
  });

  it('stops a running execution that waits on other instants and starts the next generation on the recorded ones', async () => {
    const { scheduler, calls, started } = fakeSfn({ 'P1-project': { status: 'RUNNING', input: inputOf([watch]) } });
    await expect(scheduler.ensure('P1', 'project', [moved], NOW)).resolves.toBe('restarted');
    expect(calls).toEqual(['describe P1-project', 'stop P1-project', 'describe P1-project-r1', 'start P1-project-r1']);
    expect(started).toEqual([{ name: 'P1-project-r1', input: workflowInput('P1', 'project', [moved], NOW) }]);
  });

  it('starts the first generation of a phase that has none', async () => {
    const { scheduler, calls } = fakeSfn({});
    await expect(scheduler.ensure('P1', 'project', [watch], NOW)).resolves.toBe('started');
    expect(calls).toEqual(['describe P1-project', 'start P1-project']);
  });

  it('continues after any number of TIMED_OUT (one-year limit) and ABORTED predecessors: they do not count toward giving up', async () => {
    const { scheduler, calls } = fakeSfn(generations(45, ['TIMED_OUT', 'ABORTED', 'SUCCEEDED']));
    await expect(scheduler.ensure('P1', 'project', [watch], NOW)).resolves.toBe('started');
    expect(calls.at(-1)).toBe('start P1-project-r45');
  });

  it('continues after 19 FAILED generations among others, and gives up at the 20th without starting', async () => {
    const nineteen = fakeSfn({ ...generations(38, ['FAILED', 'TIMED_OUT']) });
    await expect(nineteen.scheduler.ensure('P1', 'project', [watch], NOW)).resolves.toBe('started');
    expect(nineteen.calls.at(-1)).toBe('start P1-project-r38');

    const twenty = fakeSfn({ ...generations(40, ['ABORTED', 'FAILED']) });
    await expect(twenty.scheduler.ensure('P1', 'project', [watch], NOW)).rejects.toThrow(WatcherGaveUpError);
    expect(twenty.calls.filter((c) => c.startsWith('start'))).toEqual([]);
    // Given up on reading the 20th FAILED one (generation 39), not before.
    expect(twenty.calls.at(-1)).toBe('describe P1-project-r39');
  });

  it('takes an ExecutionAlreadyExists on start as another caller having started the watcher', async () => {
    const { scheduler, calls } = fakeSfn({}, { startFails: new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }) });
    await expect(scheduler.ensure('P1', 'project', [watch], NOW)).resolves.toBe('running');
    expect(calls).toEqual(['describe P1-project', 'start P1-project']);
  });

  it('stops a running execution whose iteration for a live watch ended dormant (another keeps it running) and starts the next generation', async () => {
    // Opened at NOW with a clock due 400 days on; another watch of the phase awaits its overdue step.
    const far = { ...watch, ruleId: 'court-ruling', dueAt: new Date(NOW.getTime() + 400 * 86_400_000).toISOString() };
    const { scheduler, calls, started } = fakeSfn({ 'P1-project': { status: 'RUNNING', input: inputOf([watch, far]) } });
    const beforeWaking = new Date(NOW.getTime() + 149 * 86_400_000);
    await expect(scheduler.ensure('P1', 'project', [watch, far], beforeWaking)).resolves.toBe('running');
    const woken = new Date(NOW.getTime() + 151 * 86_400_000);
    await expect(scheduler.ensure('P1', 'project', [watch, far], woken)).resolves.toBe('restarted');
    expect(calls.slice(1)).toEqual(['describe P1-project', 'stop P1-project', 'describe P1-project-r1', 'start P1-project-r1']);
    // The next generation wakes for the far watch a horizon on again.
    expect(started[0]!.input).toMatchObject({ watches: [{ ruleId: 'implementation-plan' }, { ruleId: 'court-ruling', dueAt: far.dueAt, wakeAt: new Date(woken.getTime() + 150 * 86_400_000).toISOString() }] });
    // The new one is left alone.
    await expect(scheduler.ensure('P1', 'project', [watch, far], woken)).resolves.toBe('running');
  });

  it('does not swallow other errors on start', async () => {
    const { scheduler } = fakeSfn({}, { startFails: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }) });
    await expect(scheduler.ensure('P1', 'project', [watch], NOW)).rejects.toThrow('Rate exceeded');
  });
});

describe('SfnWatchScheduler.watch', () => {
  it('never stops a running execution, even one waiting on other instants', async () => {
    const { scheduler, calls } = fakeSfn({ 'P1-project': { status: 'RUNNING', input: inputOf([watch]) } });
    await scheduler.watch('P1', 'project', [moved], NOW);
    expect(calls).toEqual(['describe P1-project']);
  });
});
