import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { pageQuery, projectParams, text } from '../../shared/http/schemas.ts';
import { RIGHT_TYPES } from './domain/registration.ts';

export const registrationBody = z.strictObject({
  villageGroupId: text(20),
  rightType: z.enum(RIGHT_TYPES, { error: 'rightType 须为 collective-land-ownership、land-contract 或 other-right' }),
  holder: z.strictObject({
    kind: z.enum(['collective', 'person', 'organisation']),
    name: text(100),
    idNumber: z.string().max(18).optional(),
  }),
  contractNumber: text(100).optional(),
  areaSquareMetres: z.number().positive().max(100_000_000).multipleOf(0.01).optional(),
  description: text(2000),
  onBehalf: z.boolean(),
});

export const routes = defineRoutes({
  register: { method: 'POST', path: '/projects/{projectId}/registrations', service: 'registration', summary: '办理补偿登记（登记期限内）', action: 'registration.create', auth: 'jwt', params: projectParams, body: registrationBody, successStatus: 201 },
  list: { method: 'GET', path: '/projects/{projectId}/registrations', service: 'registration', summary: '查看补偿登记（分页，身份证号码脱敏）', action: 'registration.read', auth: 'jwt', params: projectParams, query: pageQuery },
});
