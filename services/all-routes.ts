import type { RouteSpec } from '../shared/http/routes.ts';
import { routes as compensation, documentRoutes as compensationDocuments } from './compensation/schemas.ts';
import { routes as enforcement } from './enforcement/schemas.ts';
import { routes as handover } from './handover/schemas.ts';
import { routes as incidents } from './incidents/schemas.ts';
import { routes as notices } from './notices/schemas.ts';
import { routes as oversight } from './oversight/schemas.ts';
import { routes as payments } from './payments/schemas.ts';
import { routes as platform } from './platform/schemas.ts';
import { routes as registration } from './registration/schemas.ts';
import { routes as socialSecurity } from './social-security/schemas.ts';

/** Every API route of the system: the CDK app builds API Gateway from it; OpenAPI describes it. */
export const ALL_ROUTES: readonly RouteSpec[] = [
  ...Object.values(platform),
  ...Object.values(notices),
  ...Object.values(registration),
  ...Object.values(compensation),
  ...Object.values(compensationDocuments),
  ...Object.values(payments),
  ...Object.values(socialSecurity),
  ...Object.values(handover),
  ...Object.values(enforcement),
  ...Object.values(incidents),
  ...Object.values(oversight),
];
