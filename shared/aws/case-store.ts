import { loadConfig } from '../config.ts';
import { DynamoDbCaseStore } from '../store/dynamodb-case-store.ts';
import { documentClient } from '../adapters/aws/dynamodb.ts';

/** The cases + audit store every service uses, from its configured table names. */
export function caseStoreFromEnv(): DynamoDbCaseStore {
  const config = loadConfig('CASES_TABLE', 'AUDIT_TABLE');
  return new DynamoDbCaseStore(documentClient(), { cases: config.CASES_TABLE, audit: config.AUDIT_TABLE });
}
