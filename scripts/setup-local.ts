/**
 * Prepares what the local cloud needs that npm install does not bring: DynamoDB Local's jar.
 * Usage: node scripts/setup-local.ts [cacheDir]
 */
import { DEFAULT_CACHE_DIR, ensureDynamoDbLocal } from '../infra/local/servers/dynamodb-local.ts';

const dir = await ensureDynamoDbLocal(process.argv[2] ?? DEFAULT_CACHE_DIR);
console.log(`DynamoDB Local ready in ${dir}`);
