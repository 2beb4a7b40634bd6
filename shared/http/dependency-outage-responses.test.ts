import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { RETRY_AFTER_SECONDS } from '../errors.ts';
import { apiHandler } from './api-handler.ts';
import { defineRoutes } from './routes.ts';

process.env.LOG_LEVEL = 'silent';

const routes = defineRoutes({
  read: { method: 'GET', path: '/thing', service: 'test', summary: '读取', auth: 'none', response: z.strictObject({ ok: z.boolean() }) },
});

const event = { routeKey: 'GET /thing', requestContext: { requestId: 'req-1', timeEpoch: Date.parse('2026-09-01T02:00:00Z') }, headers: {} } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

async function answer(failure: unknown) {
  const handler = apiHandler(routes, { read: () => Promise.reject(failure) });
  const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(String(result.body)) };
}

describe('the API handler’s error responses', () => {
  it('a dependency outage during a request is a 503 with Retry-After and a Chinese message, no internals', async () => {
    const response = await answer(new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: { httpStatusCode: 400 } }));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(response.body).toEqual({ error: { code: 'dependency.unavailable', message: expect.stringMatching(/[\u4e00-\u9fff]/), requestId: 'req-1' } });
    expect(JSON.stringify(response.body)).not.toContain('throughput');
  });

  it('a refused connection too', async () => {
    const response = await answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
  });

  it('a bug stays a 500 without Retry-After', async () => {
    const response = await answer(new TypeError('x is undefined'));
    expect(response.status).toBe(500);
    expect(response.headers['retry-after']).toBeUndefined();
    expect(response.body.error.code).toBe('internal');
  });
});

describe('an outage during a write', () => {
  const writeRoutes = defineRoutes({
    write: { method: 'POST', path: '/thing', service: 'test', summary: '写入', auth: 'none', response: z.strictObject({ ok: z.boolean() }) },
  });
  const post = { ...event, routeKey: 'POST /thing', headers: { 'content-type': 'application/json' }, body: '{}' } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  async function write(failure: unknown) {
    const handler = apiHandler(writeRoutes, { write: () => Promise.reject(failure) });
    const result = (await handler(post, {} as Context)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(String(result.body)) };
  }

  it('that certainly did nothing (refused connection, throttled) invites a retry', async () => {
    for (const failure of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { httpStatusCode: 400 } }),
    ]) {
      const response = await write(failure);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('dependency.unavailable');
      expect(response.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    }
  });

  it('that may have committed (timeout, reset, 5xx) says the outcome is unknown and invites no blind retry', async () => {
    for (const failure of [
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      Object.assign(new Error('internal'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }),
    ]) {
      const response = await write(failure);
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject({ code: 'dependency.outcome-unknown', message: expect.stringContaining('请先查询确认') });
      expect(response.headers['retry-after']).toBeUndefined();
    }
  });
});
