import { describe, expect, it } from 'vitest';
import { httpStatusOf } from '../../../shared/errors.ts';
import { checkReadiness, type ReadinessProbe } from './readiness.ts';

const up = (name: ReadinessProbe['name']): ReadinessProbe => ({ name, check: async () => undefined });
const refused = (name: ReadinessProbe['name']): ReadinessProbe => ({ name, check: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })) });
/** Never answers, and ignores its abort signal: only the timeout can end it. */
const hanging = (name: ReadinessProbe['name']): ReadinessProbe => ({ name, check: () => new Promise(() => undefined) });

describe('readiness', () => {
  it('all dependencies answer: ready, with each one\'s status', async () => {
    const result = await checkReadiness([up('table'), up('evidenceBucket'), up('workflow')]);
    expect(result.status).toBe('ready');
    expect(result.checks).toEqual({
      table: { status: 'up', ms: expect.any(Number) },
      evidenceBucket: { status: 'up', ms: expect.any(Number) },
      workflow: { status: 'up', ms: expect.any(Number) },
    });
  });

  it('one refuses and one hangs: a 503 naming both (in Chinese), within the timeout', async () => {
    const started = Date.now();
    const error = await checkReadiness([refused('table'), up('evidenceBucket'), hanging('workflow')], 200).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(httpStatusOf(error)).toBe(503);
    expect(error).toMatchObject({
      code: 'dependency.unavailable',
      message: expect.stringContaining('案件数据表、期限工作流'),
      details: {
        failed: ['table', 'workflow'],
        checks: { table: { status: 'down', error: 'ECONNREFUSED' }, evidenceBucket: { status: 'up' }, workflow: { status: 'down', error: 'TimeoutError' } },
      },
    });
  });

  it('a probe is told to give up when the timeout passes', async () => {
    let aborted = false;
    const probe: ReadinessProbe = { name: 'table', check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(signal.reason); })) };
    await expect(checkReadiness([probe], 50)).rejects.toMatchObject({ code: 'dependency.unavailable' });
    expect(aborted).toBe(true);
  });
});
