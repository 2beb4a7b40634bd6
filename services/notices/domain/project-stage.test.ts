import { describe, expect, it } from 'vitest';
import { projectStage } from './project-stage.ts';

describe('a project\'s stage', () => {
  it('follows the notice, then the plan: drafted (in review, returned or approved) or published', () => {
    expect(projectStage(undefined, undefined)).toBe('created');
    for (const status of ['pending-review', 'returned', 'approved'] as const) {
      expect(projectStage({ status }, undefined)).toBe('notice-draft');
      expect(projectStage({ status: 'published' }, { status })).toBe('plan-draft');
    }
    expect(projectStage({ status: 'published' }, undefined)).toBe('notice-published');
    expect(projectStage({ status: 'published' }, { status: 'published' })).toBe('plan-published');
  });
});
