import { describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { ERROR_STATUSES, openApiDocument } from './openapi.ts';

type Operation = { responses: Record<string, { content: { 'application/json': { schema: Record<string, unknown> } }; headers?: Record<string, unknown> }> };

describe('the OpenAPI document', () => {
  const doc = openApiDocument(ALL_ROUTES, { title: 't', version: '0' });
  const operations = ALL_ROUTES.map((route) => [route, (doc.paths[route.path]?.[route.method.toLowerCase()] ?? {}) as Operation] as const);

  it('declares a non-empty response schema for every route and every status', () => {
    expect(operations).toHaveLength(ALL_ROUTES.length);
    for (const [route, operation] of operations) {
      const statuses = [String(route.successStatus ?? 200), ...ERROR_STATUSES];
      expect(Object.keys(operation.responses).sort(), `${route.method} ${route.path}`).toEqual(statuses.sort());
      for (const status of statuses) {
        const schema = operation.responses[status]?.content['application/json'].schema;
        expect(schema && Object.keys(schema).length, `${route.method} ${route.path} ${status}`).toBeGreaterThan(0);
      }
    }
  });

  it('success schemas describe objects or arrays with their fields (not "anything")', () => {
    for (const [route, operation] of operations) {
      const schema = operation.responses[String(route.successStatus ?? 200)]!.content['application/json'].schema;
      expect(['object', 'array'], `${route.method} ${route.path}`).toContain(schema.type);
      if (schema.type === 'object') expect(Object.keys(schema.properties as object).length).toBeGreaterThan(0);
    }
  });

  it('errors share one schema {error:{code,message,details?,requestId}}; 503 announces Retry-After', () => {
    const [, operation] = operations.find(([r]) => r.path === '/projects/{projectId}/registrations' && r.method === 'POST')!;
    const error = operation.responses['409']!.content['application/json'].schema as { properties: { error: { required: string[]; properties: Record<string, unknown> } } };
    expect(error.properties.error.required.sort()).toEqual(['code', 'message', 'requestId']);
    expect(Object.keys(error.properties.error.properties).sort()).toEqual(['code', 'details', 'message', 'requestId']);
    expect(operation.responses['503']!.headers).toHaveProperty('Retry-After');
  });

  it('a person\'s ID number appears only masked in responses', () => {
    const [, operation] = operations.find(([r]) => r.path === '/projects/{projectId}/registrations' && r.method === 'POST')!;
    const text = JSON.stringify(operation.responses['201']);
    expect(text).toContain('idNumberMasked');
    expect(text).not.toContain('"idNumber"');
  });
});
