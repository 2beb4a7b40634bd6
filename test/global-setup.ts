import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildConsole } from '../console/build.ts';
import { ensureDynamoDbLocal, startDynamoDbLocal } from '../infra/local/servers/dynamodb-local.ts';
import { synthIfStale } from '../infra/local/synth.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local for the whole run; each local cloud uses its own table prefix. */
    dynamodbEndpoint: string;
  }
}

/**
 * Before any test: the synthesized app (integration tests run its bundles and definitions) and one
 * in-memory DynamoDB Local shared by every test file's local cloud.
 *
 * Every temp file of the run (local clouds' data dirs, CDK's cdk.out*, the JVM's native SQLite
 * library, tests' own mkdtemp folders) goes into one folder that is removed at the end: TMPDIR
 * is inherited by the test workers and read by os.tmpdir() on every call.
 */
export default async function setup(project: TestProject) {
  const runTmp = mkdtempSync(join(tmpdir(), 'land-test-run-'));
  const systemTmp = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  // The console first: the CDK app deploys its build, and the browser tests open it.
  await buildConsole();
  synthIfStale((line) => console.log(line));
  await ensureDynamoDbLocal();
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
    if (systemTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = systemTmp;
    rmSync(runTmp, { recursive: true, force: true });
  };
}
