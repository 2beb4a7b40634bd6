import { describe, expect, it } from 'vitest';
import { beyondHorizon, leftDormant, waitsOn, WATCH_HORIZON_DAYS, workflowInput } from './scheduler.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-08-01T02:00:00Z');
const inDays = (days: number, from = NOW) => new Date(from.getTime() + days * DAY).toISOString();
const near = { ruleId: 'implementation-plan', dueAt: inDays(45) };
const far = { ruleId: 'court-ruling', dueAt: inDays(400) };

describe('the horizon', () => {
  it('is 150 days: well within the one-year life of a Standard execution, twice over', () => {
    expect(WATCH_HORIZON_DAYS).toBe(150);
    expect(2 * WATCH_HORIZON_DAYS).toBeLessThan(365);
  });

  it('the workflow wakes at the due instant when it comes first, otherwise at the horizon; it still knows the due instant', () => {
    const input = workflowInput('E-1', 'enforcement', [near, far] as never, NOW);
    expect(input).toEqual({
      caseId: 'E-1',
      phase: 'enforcement',
      watches: [
        { caseId: 'E-1', ruleId: 'implementation-plan', dueAt: near.dueAt, wakeAt: near.dueAt },
        { caseId: 'E-1', ruleId: 'court-ruling', dueAt: far.dueAt, wakeAt: inDays(150) },
      ],
    });
    // Exactly at the horizon: the due instant itself.
    const atHorizon = { ruleId: 'x', dueAt: inDays(150) };
    expect(workflowInput('E-1', 'p', [atHorizon] as never, NOW).watches[0]!.wakeAt).toBe(atHorizon.dueAt);
  });

  it('a watch is beyond the horizon when its due instant is more than 150 days off', () => {
    expect(beyondHorizon(inDays(150), NOW)).toBe(false);
    expect(beyondHorizon(new Date(Date.parse(inDays(150)) + 1).toISOString(), NOW)).toBe(true);
  });

  it('waitsOn compares due instants only: the wake instant does not make a running execution stale', () => {
    const input = workflowInput('E-1', 'p', [near, far] as never, NOW);
    expect(waitsOn(input, [near, far])).toBe(true);
    expect(waitsOn(input, [near, { ...far, dueAt: inDays(401) }])).toBe(false);
  });
});

describe('an iteration left dormant in a running execution', () => {
  const input = workflowInput('E-1', 'p', [near, far] as never, NOW);

  it('is none before it wakes, and the far watch once it woke more than a horizon before its due instant', () => {
    expect(leftDormant(input, [near, far], new Date(inDays(149)))).toEqual([]);
    expect(leftDormant(input, [near, far], new Date(inDays(150)))).toEqual(['court-ruling']);
    // No longer live (met, cancelled): nothing needs waiting on.
    expect(leftDormant(input, [near], new Date(inDays(150)))).toEqual([]);
  });

  it('is none for an iteration that woke within a horizon of its due instant: it adopted the instant and still waits', () => {
    const soon = { ruleId: 'court-acceptance', dueAt: inDays(250) };
    const waiting = workflowInput('E-1', 'p', [soon] as never, NOW);
    expect(leftDormant(waiting, [soon], new Date(inDays(200)))).toEqual([]);
  });

  it('is none for an execution started before the horizon (its input has no wake instants)', () => {
    const old = { caseId: 'E-1', phase: 'p', watches: [{ caseId: 'E-1', ruleId: far.ruleId, dueAt: far.dueAt }] };
    expect(leftDormant(old, [far], new Date(inDays(399)))).toEqual([]);
  });
});
