import { describe, expect, it } from 'vitest';
import { matchPath } from './router.ts';

describe('console routes', () => {
  it('matches parameters segment by segment and decodes them', () => {
    expect(matchPath('/projects/:projectId', '/projects/P%2D1')).toEqual({ projectId: 'P-1' });
    expect(matchPath('/projects/:projectId', '/projects')).toBeNull();
    expect(matchPath('/projects', '/households')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
  });
});
