import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { loadConfig } from '../config.ts';
import type { MaintenanceRunner } from '../deadlines/maintenance-job.ts';
import { sfnClient } from './aws/sfn.ts';

/** Runs a job on the deadline-maintenance workflow; the execution is named by the job, so a second start is the same run. */
export class SfnMaintenanceRunner implements MaintenanceRunner {
  #sfn: SFNClient;
  #stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
  }

  async start(jobId: string): Promise<void> {
    try {
      await this.#sfn.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name: jobId, input: JSON.stringify({ jobId }) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}

export function maintenanceRunnerFromEnv(): SfnMaintenanceRunner {
  return new SfnMaintenanceRunner(sfnClient(), loadConfig('MAINTENANCE_WORKFLOW_ARN').MAINTENANCE_WORKFLOW_ARN);
}
