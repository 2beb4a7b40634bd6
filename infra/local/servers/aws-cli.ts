/**
 * Runs the AWS CLI against a local server, with the local cloud's credentials and nothing from the
 * user's AWS configuration — so tests and README examples show what `aws … --endpoint-url` answers.
 */
import { execFile } from 'node:child_process';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './net.ts';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: the server under test runs in the same process. */
export function awsCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      args,
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: LOCAL_REGION,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
