import type { ApiClient } from './api/client.ts';
import type { Me } from './api/endpoints.ts';

/**
 * Who the token speaks for, and how far the server's clock is from the browser's (the local
 * cloud's clock is virtual; deadlines are judged on the server's).
 */
export async function whoAmI(_api: ApiClient): Promise<{ me: Me; serverOffsetMs: number }> {
  throw new Error('GET /me is not wired yet');
}
