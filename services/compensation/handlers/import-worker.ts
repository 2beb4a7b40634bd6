import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { useService } from '../../../shared/log.ts';
import { taskHandler } from '../../../shared/task-handler.ts';
import { importWorkerDeps } from '../adapters/import-worker-deps.ts';
import { importFailed, importPage } from '../app/survey-import.ts';

useService('compensation-imports');
const deps = importWorkerDeps();

/** What the survey-imports workflow asks: one page of a job, or recording that it gave up. */
const execution = z.string().max(80).optional();
const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('import-page'), projectId: z.string().max(64), jobId: z.string().max(80), now: z.iso.datetime(), execution }),
  z.object({ action: z.literal('import-failed'), projectId: z.string().max(64), jobId: z.string().max(80), now: z.iso.datetime(), error: z.string().optional(), cause: z.string().optional(), execution }),
]);
type Task = z.output<typeof task>;

async function perform(input: Task, context: Context): Promise<unknown> {
  const requestId = context?.awsRequestId ?? input.execution ?? 'workflow';
  if (input.action === 'import-page') return importPage(deps, { ...input, requestId }, new Date(input.now));
  await importFailed(deps, { ...input, requestId }, new Date(input.now));
  return { recorded: true };
}

export const handler = taskHandler(task, perform);
