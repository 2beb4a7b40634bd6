import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { sfnClient } from '../../../shared/adapters/aws/sfn.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { ImportStarter } from '../app/ports.ts';

/** Runs an import on the survey-imports workflow; the execution is named by the job, so a second start is the same run. */
export class SfnImportStarter implements ImportStarter {
  #sfn: SFNClient;
  #stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
  }

  async start(projectId: string, jobId: string): Promise<void> {
    try {
      await this.#sfn.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name: jobId, input: JSON.stringify({ jobId, projectId }) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}

export function importStarterFromEnv(): SfnImportStarter {
  return new SfnImportStarter(sfnClient(), loadConfig('SURVEY_IMPORT_WORKFLOW_ARN').SURVEY_IMPORT_WORKFLOW_ARN);
}
