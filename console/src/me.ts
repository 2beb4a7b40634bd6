import type { ApiClient } from './api/client.ts';
import { api, type Me } from './api/endpoints.ts';

/**
 * Who the token speaks for, and how far the server's clock is from the browser's (the local
 * cloud's clock is virtual; deadlines are judged on the server's). The offset is taken at the
 * midpoint of the request, which is as close as one round trip allows.
 */
export async function whoAmI(client: ApiClient): Promise<{ me: Me; serverOffsetMs: number }> {
  const sent = Date.now();
  const me = await client.call(api.me, {});
  const received = Date.now();
  return { me, serverOffsetMs: Date.parse(me.now) - (sent + received) / 2 };
}
