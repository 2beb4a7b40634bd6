import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_KEY_DIR } from './api/local-idp.ts';
import { startLocalCloud } from './cloud.ts';
import { ensureDynamoDbLocal } from './servers/dynamodb-local.ts';
import { CDK_OUT, REPO, synthIfStale } from './synth.ts';

/**
 * `npm start`: the whole system on this machine. Data persists in .local/data unless --fresh.
 * Ports: the API on PORT (3000), then DynamoDB, S3, Step Functions, SNS and KMS on PORT+1…+5.
 */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    clock: { type: 'string' },
  },
});
const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.LOCAL_DATA_DIR ?? join(REPO, '.local/data');

// The handlers' own JSON request logs repeat the [api] lines here; warnings and errors still show.
process.env.LOG_LEVEL ??= 'warn';
synthIfStale();
await ensureDynamoDbLocal();
const cloud = await startLocalCloud({
  dataDir,
  cdkOut: CDK_OUT,
  fresh: values.fresh,
  // The same key the token command signs with.
  idpDir: join(REPO, DEFAULT_KEY_DIR),
  ...(values.clock ? { clockStart: new Date(values.clock) } : {}),
  ports: { api: port, dynamodb: port + 1, s3: port + 2, sfn: port + 3, sns: port + 4, kms: port + 5 },
});

const now = new Date(cloud.clock.now());
console.log(`
征地拆迁联动机制协同系统 — local cloud is running (virtual time ${now.toISOString()})

  HTTP API         ${cloud.apiUrl}        (OpenAPI: ${cloud.apiUrl}/openapi.json, health: ${cloud.apiUrl}/health)
  DynamoDB         ${cloud.endpoints.dynamodb}
  S3 (evidence)    ${cloud.endpoints.s3}
  Step Functions   ${cloud.endpoints.sfn}
  SNS (alerts)     ${cloud.endpoints.sns}
  KMS              ${cloud.endpoints.kms}
  Data             ${dataDir}  (kept across restarts; npm start -- --fresh to wipe)

  Token:    npm run -s token -- --agency land-bureau --jurisdiction yongzhou/lengshuitan
  Clock:    npm run -s clock -- show | advance 45d | advance 2h | to <ISO instant>
  Alerts:   printed here, listed at ${cloud.apiUrl}/local/alerts, and delivered to HTTP subscribers
            of topic ${cloud.blueprint.topics[0]?.arn ?? '(none)'}
            (subscribe with the SNS API at ${cloud.endpoints.sns}; see README)
`);

const stop = async () => {
  console.log('\n[local] stopping…');
  await cloud.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
