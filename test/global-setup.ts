import type { TestProject } from 'vitest/node';
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
 */
export default async function setup(project: TestProject) {
  synthIfStale((line) => console.log(line));
  await ensureDynamoDbLocal();
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
