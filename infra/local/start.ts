import { buildConsole } from '../../console/build.ts';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_KEY_DIR } from './api/local-idp.ts';
import { formatBeijing } from '../../shared/calendar/index.ts';
import { startLocalCloud, type LocalCloud } from './cloud.ts';
import { ensureDynamoDbLocal } from './servers/dynamodb-local.ts';
import { CDK_OUT, REPO, synthIfStale } from './synth.ts';

/**
 * `npm start`: the whole system on this machine. Data persists in .local/data unless --fresh.
 * Ports: the API on PORT (3000), then DynamoDB, S3, Step Functions, SNS, KMS, Secrets Manager and
 * the bank simulator on PORT+1…+7.
 */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    clock: { type: 'string' },
  },
});
const port = Number(process.env.PORT ?? 3000);
/** How far ahead a missing holiday year matters: the longest common period (45 days) and more. */
const LOOKAHEAD_MS = 120 * 86_400_000;
const dataDir = process.env.LOCAL_DATA_DIR ?? join(REPO, '.local/data');

// The handlers' own JSON request logs repeat the [api] lines here; warnings and errors still show.
process.env.LOG_LEVEL ??= 'warn';
// esbuild takes well under a second: the console is always what its sources say (and the CDK app deploys it).
await buildConsole();
synthIfStale();
await ensureDynamoDbLocal();
const cloud = await startLocalCloud({
  dataDir,
  cdkOut: CDK_OUT,
  fresh: values.fresh,
  // The same key the token command signs with.
  idpDir: join(REPO, DEFAULT_KEY_DIR),
  consoleDir: join(REPO, 'console/dist'),
  ...(values.clock ? { clockStart: new Date(values.clock) } : {}),
  ports: { api: port, dynamodb: port + 1, s3: port + 2, sfn: port + 3, sns: port + 4, kms: port + 5, secrets: port + 6, bank: port + 7 },
});

console.log(`
征地拆迁联动机制协同系统 — local cloud is running (virtual time ${formatBeijing(cloud.clock.now())}, Beijing time)

  HTTP API         ${cloud.apiUrl}        (OpenAPI: ${cloud.apiUrl}/openapi.json, health: ${cloud.apiUrl}/health)
  Console          ${cloud.apiUrl}/console/  (signs in at the development IdP, ${cloud.apiUrl}/local-idp/authorize)
  DynamoDB         ${cloud.endpoints.dynamodb}
  S3 (evidence)    ${cloud.endpoints.s3}
  Step Functions   ${cloud.endpoints.sfn}
  SNS (alerts)     ${cloud.endpoints.sns}
  KMS              ${cloud.endpoints.kms}
  Secrets Manager  ${cloud.endpoints.secrets}
  Bank (simulator) ${cloud.bank ? `${cloud.bank.endpoint}  (faults: POST ${cloud.apiUrl}/local/bank/faults, ledger: GET ${cloud.apiUrl}/local/bank/transfers)` : '(not started: no function has BANK_CALLBACK_SECRET_ARN)'}
  Data             ${dataDir}  (kept across restarts; npm start -- --fresh to wipe)

  Token:    npm run -s token -- --agency land-bureau --jurisdiction yongzhou/lengshuitan
  Clock:    npm run -s clock -- show | advance 45d | advance 2h | to <ISO instant>
  Alerts:   printed here, listed at ${cloud.apiUrl}/local/alerts, and delivered to HTTP subscribers
            of topic ${cloud.blueprint.topics[0]?.arn ?? '(none)'}
            (subscribe with the SNS API at ${cloud.endpoints.sns}; see README)
`);
const missing = await missingHolidayYears(cloud);
if (missing.length) console.log(holidayBanner(missing, cloud));

const stop = async () => {
  console.log('\n[local] stopping…');
  await cloud.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

/** Years (Beijing calendar) between now and now + 120 days of virtual time without holiday data. */
async function missingHolidayYears(cloud: LocalCloud): Promise<number[]> {
  const yearOf = (ms: number) => new Date(ms + 8 * 3_600_000).getUTCFullYear();
  const now = cloud.clock.now();
  const wanted = [...new Set([yearOf(now), yearOf(now + LOOKAHEAD_MS)])];
  const token = await cloud.token('leading-group-office', 'yongzhou');
  const response = await fetch(`${cloud.apiUrl}/calendar/years`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /calendar/years answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as Array<{ year: number }> | { items?: Array<{ year: number }>; years?: Array<{ year: number }> };
  const listed = Array.isArray(body) ? body : (body.items ?? body.years ?? []);
  const covered = new Set(listed.map((y) => y.year));
  return wanted.filter((year) => !covered.has(year));
}

function holidayBanner(years: number[], cloud: LocalCloud): string {
  const list = years.join(', ');
  return `  ⚠ No State Council holiday data for ${list}: deadlines that reach ${list} are refused
    (calendar.missing-holiday-data), so publishing a notice fails within about 120 days of
    ${years[0]}-01-01. Either
      • add the year: the leading group office PUTs it to ${cloud.apiUrl}/calendar/years/${years[0]}
        (see data/holidays/README.md and the README, "Holiday data: adding or correcting a year"), or
      • start on a covered date:  npm start -- --fresh --clock 2026-09-01T09:00:00+08:00
`;
}
