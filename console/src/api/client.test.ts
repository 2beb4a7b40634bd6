import { afterEach, describe, expect, it, vi } from 'vitest';
import type { routes as notices } from '../../../services/notices/schemas.ts';
import { ApiError, createApiClient, endpoint } from './client.ts';
import { api } from './endpoints.ts';

describe('the console API client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses at compile time a key its route spec does not have', () => {
    // `tsc -p console` fails on each of these if the check ever stops working.
    // @ts-expect-error the path is misspelt
    endpoint<typeof notices.timeline>('GET /projects/{projectId}/timelines');
    // @ts-expect-error the method is wrong
    endpoint<typeof notices.timeline>('POST /projects/{projectId}/timeline');
    expect(endpoint<typeof notices.timeline>('GET /projects/{projectId}/timeline')).toEqual({ method: 'GET', path: '/projects/{projectId}/timeline' });
  });

  it('fills path parameters (encoded), drops empty query values and sends the bearer token', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ items: [] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const client = createApiClient({ base: 'https://api.example', token: () => 'T', onUnauthorized: () => undefined });
    await client.call(api.households, { params: { projectId: 'P/1' }, query: { q: '张三', limit: 50, cursor: undefined } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://api.example/projects/P%2F1/households?q=%E5%BC%A0%E4%B8%89&limit=50');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer T');
  });

  it("turns a refusal into an ApiError with the API's Chinese message and code, and a 401 into a new sign-in", async () => {
    const onUnauthorized = vi.fn();
    const client = createApiClient({ base: '', token: () => 'T', onUnauthorized });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'notice.not-in-review', message: '通告不在审核中', requestId: 'r1' } }), { status: 409 }));
    const refused = await client.call(api.reviewNotice, { params: { projectId: 'P1' }, body: { decision: 'approve' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 409, code: 'notice.not-in-review', message: '通告不在审核中', requestId: 'r1' });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ message: 'Unauthorized' }), { status: 401 }));
    await expect(client.call(api.me, {})).rejects.toMatchObject({ status: 401, message: '登录已失效，请重新登录' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
