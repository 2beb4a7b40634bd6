import { apiHandler } from '../../../shared/http/api-handler.ts';
import { openApiDocument } from '../../../shared/http/openapi.ts';
import { platformDeps } from '../adapters/deps.ts';
import { readinessProbes } from '../adapters/readiness.ts';
import { whoAmI } from '../app/identity.ts';
import { checkReadiness, type ReadinessProbe } from '../app/readiness.ts';
import { alertsFor, deadlineFor, holidayYears, maintenanceJob, myWork, overdueRecords, putHolidayYear } from '../app/use-cases.ts';
import { ALL_ROUTES } from '../../all-routes.ts';
import { routes } from '../schemas.ts';

const deps = platformDeps();
let openapi: ReturnType<typeof openApiDocument> | undefined;
let probes: Promise<ReadinessProbe[]> | undefined;

export const handler = apiHandler(routes, {
  openapi: () => {
    openapi ??= openApiDocument(ALL_ROUTES, { title: '征地拆迁联动机制协同系统 API', version: '0.1.0' });
    return openapi;
  },
  health: () => ({ status: 'ok' as const }),
  ready: async () => {
    // A failure to build the probes is not kept: the next readiness request tries again.
    probes ??= readinessProbes().catch((error: unknown) => {
      probes = undefined;
      throw error;
    });
    return checkReadiness(await probes);
  },
  me: ({ ctx }) => whoAmI(ctx),
  deadline: ({ query, ctx }) => deadlineFor(deps, query, ctx),
  holidayYears: ({ ctx }) => holidayYears(deps, ctx),
  putHolidayYear: ({ params, body, ctx }) => putHolidayYear(deps, Number(params.year), body, ctx),
  maintenanceJob: ({ params, ctx }) => maintenanceJob(deps, params.jobId, ctx),
  myWork: ({ query, ctx }) => myWork(deps, query, ctx),
  alerts: ({ query, ctx }) => alertsFor(deps, query, ctx),
  overdue: ({ query, ctx }) => overdueRecords(deps, query, ctx),
}, { audit: deps.uow });
