import * as z from 'zod';
import { errorResponse, gatewayErrorResponse } from './response-schemas.ts';
import type { RouteSpec } from './routes.ts';

/**
 * The OpenAPI 3.1 document of every route, generated from the same zod schemas the handlers
 * validate with, so it cannot drift from what the API accepts.
 */
export function openApiDocument(routes: readonly RouteSpec[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: `${route.service}.${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      tags: [route.service],
      ...(route.auth === 'none' ? { security: [] } : {}),
      ...(route.action ? { 'x-permission': route.action } : {}),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses: {
        [String(route.successStatus ?? 200)]: {
          description: '成功',
          content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
        },
        ...Object.fromEntries(
          ERROR_STATUSES.map((status) => [
            status,
            {
              description: ERROR_DESCRIPTIONS[status],
              content: { 'application/json': { schema: status === '401' ? { anyOf: [jsonSchema(errorResponse, 'output'), jsonSchema(gatewayErrorResponse, 'output')] } : jsonSchema(errorResponse, 'output') } },
              ...(status === '503' ? { headers: { 'Retry-After': { description: '建议的重试等待秒数', schema: { type: 'integer' } } } } : {}),
            },
          ]),
        ),
      },
    };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0' as const,
    info,
    components: {
      securitySchemes: { agencyToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OIDC JWT: claims sub, agency, jurisdiction' } },
    },
    security: [{ agencyToken: [] }],
    paths,
  };
}

/** Every status an error can have (shared/errors.ts); each route may answer any of them. */
export const ERROR_STATUSES = ['400', '401', '403', '404', '409', '413', '415', '422', '503'] as const;

const ERROR_DESCRIPTIONS: Record<(typeof ERROR_STATUSES)[number], string> = {
  '400': '请求格式或字段不正确',
  '401': '缺少或无效的身份令牌',
  '403': '单位或辖区无权执行该操作',
  '404': '对象不存在',
  '409': '状态冲突（重复、已锁定、并发修改）',
  '413': '请求体过大',
  '415': '请求体须为 JSON',
  '422': '法定规则不允许（如登记期限已届满）',
  '503': '依赖的服务（数据库、存储、工作流）暂不可用，请按 Retry-After 稍后重试',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
