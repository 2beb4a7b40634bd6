import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { identityResponse, pageOf, utcInstant } from '../../shared/http/response-schemas.ts';
import { pageQuery, projectParams, text } from '../../shared/http/schemas.ts';
import { COLLECTIVE_LEVELS, RIGHT_TYPES } from './domain/registration.ts';

export const registrationBody = z.strictObject({
  villageGroupId: text(20),
  rightType: z.enum(RIGHT_TYPES, { error: 'rightType 须为 collective-land-ownership、land-contract 或 other-right' }),
  holder: z.strictObject({
    kind: z.enum(['collective', 'person', 'organisation']),
    name: text(100),
    // Trimmed before the length check: a number pasted with spaces around it is still 18 characters.
    idNumber: z.string().trim().max(18, { error: '身份证号码不能超过 18 位' }).optional(),
    // Required for collective land ownership (checked with the right's shape): whose collective.
    collectiveLevel: z.enum(COLLECTIVE_LEVELS, { error: 'collectiveLevel 须为 village（村农民集体）或 group（村民小组农民集体）' }).optional(),
  }),
  contractNumber: text(100).optional(),
  areaSquareMetres: z.number().positive().max(100_000_000).multipleOf(0.01).optional(),
  description: text(2000),
  onBehalf: z.boolean(),
});

/** A registration as shown: a person's ID number only masked, never the sealed number. */
export const registrationResponse = z.strictObject({
  registrationId: z.string(),
  projectId: z.string(),
  villageGroupId: z.string(),
  rightType: z.enum(RIGHT_TYPES),
  holder: z.strictObject({
    kind: z.enum(['collective', 'person', 'organisation']),
    name: z.string(),
    idNumberMasked: z.string().regex(/^[0-9]{4}\*{10}[0-9]{3}[0-9X]$/).optional(),
    collectiveLevel: z.enum(COLLECTIVE_LEVELS).optional(),
  }),
  contractNumber: z.string().optional(),
  areaSquareMetres: z.number().optional(),
  description: z.string(),
  onBehalf: z.boolean(),
  registeredBy: identityResponse,
  registeredAt: utcInstant,
  rightKey: z.string(),
});

export const routes = defineRoutes({
  register: { method: 'POST', path: '/projects/{projectId}/registrations', service: 'registration', summary: '办理补偿登记（登记期限内）', action: 'registration.create', auth: 'jwt', params: projectParams, body: registrationBody, successStatus: 201, response: registrationResponse },
  list: { method: 'GET', path: '/projects/{projectId}/registrations', service: 'registration', summary: '查看补偿登记（分页，身份证号码脱敏）', action: 'registration.read', auth: 'jwt', params: projectParams, query: pageQuery, response: pageOf(registrationResponse) },
});
