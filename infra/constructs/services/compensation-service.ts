import { Duration, Stack } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CHINESE_FONT } from '../../../shared/adapters/documents/font.ts';
import { pagedJob } from '../maintenance-workflow.ts';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Compensation: the implementation plan with its one locked standard, and household by household
 * the survey, the computation, the disclosure and the agreement. Three functions, so the JSON API
 * stays lean: the documents function carries the PDF and workbook libraries (and the Chinese
 * font), the import worker the workbook reader, which it runs as a paged job (survey-imports).
 */
export class CompensationService extends Construct {
  readonly api: ServiceFunction;
  readonly documents: ServiceFunction;
  readonly importWorker: ServiceFunction;
  readonly imports: sfn.StateMachine;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/compensation/handlers/api.ts',
      description: 'Compensation plan and standard; households, survey, checks, disputes, computation, agreements',
      ...functionDefaults(ctx),
      // Verifying evidence heads each named file in the bucket.
      timeout: Duration.seconds(30),
    });
    this.documents = new ServiceFunction(this, 'Documents', {
      entry: 'services/compensation/handlers/documents.ts',
      description: 'Compensation documents: agreement PDF, disclosure list (PDF, xlsx), survey workbook template',
      ...functionDefaults(ctx),
      timeout: Duration.seconds(60),
      // Layout of a 200-household disclosure is CPU-bound: more memory, more CPU.
      memorySize: 1769,
      // The agreements' and disclosures' font, read beside the bundle (shared/adapters/documents/font.ts).
      assets: [CHINESE_FONT.source],
    });
    this.importWorker = new ServiceFunction(this, 'ImportWorker', {
      entry: 'services/compensation/handlers/import-worker.ts',
      description: 'Survey workbook import: parses the workbook and applies its households a chunk at a time',
      ...functionDefaults(ctx),
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });
    this.imports = pagedJob(new Construct(this, 'SurveyImports'), {
      name: `${Stack.of(this).stackName}-survey-imports`,
      worker: this.importWorker.fn,
      tracing: ctx.observability.tracing,
      actions: { page: 'import-page', failed: 'import-failed' },
      inputFields: ['projectId'],
      failure: { error: 'SurveyImportFailed', cause: 'A chunk of the survey import failed after its retries; the job is marked failed.' },
    });

    new Grants(this.api, ctx).caseData().pagedLists().evidence().protectPersonalData().startWorkflow().releaseWorkflow().startJobs('SURVEY_IMPORT_WORKFLOW_ARN', this.imports.stateMachineArn);
    new Grants(this.documents, ctx).caseData().pagedLists().evidence();
    new Grants(this.importWorker, ctx).caseData().evidence().protectPersonalData();
  }
}
