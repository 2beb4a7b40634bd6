import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { formatBeijing } from '../../shared/calendar/index.ts';
import { newId } from '../../shared/ids.ts';
import { LocalHttpApi, type ExtraHandler, type LocalRoute } from './api/http-api.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp } from './api/local-idp.ts';
import { oidcProviderHandler } from './api/oidc-provider.ts';
import { consoleSiteHandler } from './api/console-site.ts';
import { VirtualClock } from './clock.ts';
import { faultSettingsSchema, startBankSim, type BankSim } from './servers/bank-sim.ts';
import { FunctionMeter, meterHttpServers, startDynamoDbMeter, type DynamoDbUsage, type FunctionUsage, type HttpRequestUsage } from './metering.ts';
import { startDynamoDbLocal } from './servers/dynamodb-local.ts';
import { startKmsLocal } from './servers/kms-local.ts';
import { LOCAL_CREDENTIALS, type LocalServer } from './servers/net.ts';
import { startS3Local } from './servers/s3-local.ts';
import { startSecretsLocal } from './servers/secrets-local.ts';
import { startSnsLocal, type RecordedMessage } from './servers/sns-local.ts';
import { LocalStepFunctions, type StateMachineUsage } from './stepfunctions/index.ts';
import { LOCAL_REGION, readBlueprint, type Blueprint, type FunctionSpec } from './template.ts';

/** Where `console/build.ts` puts the console by default. */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

export interface LocalCloudOptions {
  /** Where tables, evidence, keys, subscriptions and the clock persist. */
  dataDir: string;
  /** The synthesized cloud assembly. */
  cdkOut: string;
  /** Wipe dataDir first. */
  fresh?: boolean;
  /** Ports (0 = any free one). */
  ports?: Partial<Record<'api' | 'dynamodb' | 's3' | 'sfn' | 'sns' | 'kms' | 'secrets' | 'bank', number>>;
  /** Use this DynamoDB server instead of starting one (tests share one), with a table prefix. */
  dynamodb?: { endpoint: string; tablePrefix: string };
  /** Where the functions call the bank (default: the simulator); a test may put a proxy in front. */
  bankUrl?: string;
  /** The development IdP's signing key folder (the token command's); default inside dataDir. */
  idpDir?: string;
  /** The console build to serve at `/console/` (default: console/dist, which `console/build.ts` writes). */
  consoleDir?: string;
  /** Where the virtual clock starts on a fresh data dir (default: now). */
  clockStart?: Date;
  log?: (line: string) => void;
  /**
   * Meter what AWS would bill (bench/households.ts): DynamoDB through a metering proxy, S3 and KMS
   * requests. Lambda, Step Functions and SNS are always counted (it costs nothing).
   */
  meter?: boolean;
}

/** What the cloud has done so far, in the units AWS bills (decision 0023); a snapshot. */
export interface CloudUsage {
  lambda: Record<string, FunctionUsage>;
  stepFunctions: Record<string, StateMachineUsage>;
  snsPublishes: number;
  /** Only when started with `meter: true`. */
  dynamodb?: DynamoDbUsage;
  requests?: HttpRequestUsage;
}

export interface LocalCloud {
  apiUrl: string;
  endpoints: Record<'dynamodb' | 's3' | 'sfn' | 'sns' | 'kms' | 'secrets', string>;
  clock: VirtualClock;
  /**
   * The bank simulator, on the virtual clock, calling back `${apiUrl}/bank/callbacks` with the
   * payments' callback secret; absent while no function is given BANK_CALLBACK_SECRET_ARN.
   */
  bank?: BankSim;
  stepFunctions: LocalStepFunctions;
  blueprint: Blueprint;
  /** Alerts published so far (every message on every topic). */
  alerts(): RecordedMessage[];
  /** A signed development token for an agency in a jurisdiction. */
  token(agency: string, jurisdiction: string, user?: string): Promise<string>;
  /** Invokes a function by logical-id prefix (e.g. `DeadlinesWorker`). */
  invoke(functionPrefix: string, payload: unknown): Promise<unknown>;
  /** Advances the virtual clock and waits until the workflows have caught up. */
  advance(ms: number): Promise<void>;
  usage(): CloudUsage;
  stop(): Promise<void>;
}

/**
 * The whole system on one machine: real-protocol servers provisioned from the synthesized
 * template, the same bundled handlers, the same state-machine definitions, one virtual clock.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ports = options.ports ?? {};
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const blueprint = readBlueprint(options.cdkOut, { tablePrefix: options.dynamodb?.tablePrefix ?? '' });

  const clock = new VirtualClock(readClockOffset(options.dataDir, options.clockStart));
  clock.onChange(() => writeClockOffset(options.dataDir, clock.offsetMs));
  writeClockOffset(options.dataDir, clock.offsetMs);

  const servers: LocalServer[] = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    const dynamodb = options.dynamodb?.endpoint ?? (await own(startDynamoDbLocal({ port: ports.dynamodb ?? 0, dbPath: join(options.dataDir, 'dynamodb') }))).endpoint;
    const s3 = await own(startS3Local({ port: ports.s3 ?? 0, directory: join(options.dataDir, 's3'), buckets: blueprint.buckets, now: () => clock.now() }));
    const sns = await startSnsLocal({
      port: ports.sns ?? 0,
      stateFile: join(options.dataDir, 'sns-subscriptions.json'),
      recordFile: join(options.dataDir, 'alerts.jsonl'),
      onMessage: (m: RecordedMessage) => log(`[alert] ${m.subject ?? ''} ${describeAttributes(m)}`),
      now: () => clock.now(),
    });
    servers.push(sns);
    const kms = await startKmsLocal({ port: ports.kms ?? 0, stateFile: join(options.dataDir, 'kms-keys.json') });
    servers.push(kms);
    const secrets = await own(startSecretsLocal({ port: ports.secrets ?? 0, stateFile: join(options.dataDir, 'secrets.json') }));

    await createTables(dynamodb, blueprint);
    for (const topic of blueprint.topics) sns.createTopic(topic.name);
    for (const key of blueprint.keys) kms.createKey({ keyId: key.keyId, spec: key.spec });
    for (const secret of blueprint.secrets) {
      secrets.createSecret({ name: secret.name, arn: secret.arn, ...(secret.secretString !== undefined ? { secretString: secret.secretString } : { generate: secret.generate ?? {} }) });
    }

    // The API listens only after the handlers load, and they need the bank's URL first: the bank
    // starts now and holds its callbacks until the API's address is known.
    let announceCallbackUrl: (url: string) => void = () => undefined;
    const callbackUrl = new Promise<string>((resolve) => (announceCallbackUrl = resolve));
    const bank = await startBank(blueprint, secrets.secretValue, { port: ports.bank ?? 0, stateFile: join(options.dataDir, 'bank-sim.json'), clock, callbackUrl, log });
    if (bank) servers.push(bank);

    const dynamodbMeter = options.meter ? await own(startDynamoDbMeter({ upstream: dynamodb, tables: blueprint.tables })) : undefined;
    const requestMeter = options.meter ? meterHttpServers({ s3: s3.endpoint, kms: kms.endpoint }) : undefined;
    if (requestMeter) stops.push(async () => requestMeter.dispose());
    const functionMeter = new FunctionMeter();

    // Functions read their settings at cold start, so the environment is set before importing.
    const endpoints = { dynamodb: dynamodbMeter?.endpoint ?? dynamodb, s3: s3.endpoint, sns: sns.endpoint, kms: kms.endpoint, secrets: secrets.endpoint, sfn: '' };
    const stepFunctions = new LocalStepFunctions({ clock, invoker: { invoke: (arn, payload) => invokeFn(arn, payload) }, log: (line) => log(`[sfn] ${line}`) });
    const sfnServer = await stepFunctions.listen(ports.sfn ?? 0);
    stops.push(() => stepFunctions.close());
    endpoints.sfn = sfnServer.endpoint;
    clock.addSettler(() => stepFunctions.whenIdle());
    // Settlements and callbacks fire on the virtual clock: advancing waits for their POSTs too.
    if (bank) clock.addSettler(() => bank.idle());
    setFunctionEnvironment(blueprint.functions, endpoints, bank ? { BANK_URL: options.bankUrl ?? bank.endpoint } : {});
    const handlers = await loadHandlers(blueprint.functions);
    for (const machine of blueprint.stateMachines) stepFunctions.createStateMachine(machine);

    async function invokeFn(arnOrName: string, payload: unknown): Promise<unknown> {
      const fn = blueprint.functions.find((f) => f.arn === arnOrName || f.name === arnOrName || arnOrName.startsWith(`${f.arn}:`));
      if (!fn) throw Object.assign(new Error(`no local function ${arnOrName}`), { name: 'ResourceNotFoundException' });
      // Lambda passes JSON, not objects: the handler never shares references with its caller.
      const event = JSON.parse(JSON.stringify(payload ?? {})) as unknown;
      const ended = functionMeter.begin(fn);
      let result: unknown;
      try {
        result = await handlers.get(fn.name)!(event, lambdaContext(fn));
      } finally {
        ended();
      }
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    }

    const idp = await LocalIdp.load(options.idpDir ?? join(options.dataDir, 'idp'));
    const jwt = blueprint.api.jwt ?? { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE] };
    const routes: LocalRoute[] = blueprint.api.routes.map((route) => ({
      routeKey: route.routeKey,
      authorization: route.authorization,
      scopes: route.scopes,
      invoke: (event) => invokeFn(route.functionArn, event),
    }));
    // A development identity is granted every scope the API asks for; the use cases still check
    // what its agency may do.
    const scopes = [...new Set(blueprint.api.routes.flatMap((route) => route.scopes))];
    const token = (agency: string, jurisdiction: string, user = `dev.${agency}`) =>
      idp.issueToken({ agency, jurisdiction, user, scopes } as Parameters<LocalIdp['issueToken']>[0], { issuer: jwt.issuer, audience: jwt.audience[0]! });
    const advance = async (ms: number) => {
      await clock.advance(ms);
      await clock.settle();
    };
    const api = new LocalHttpApi({
      routes,
      jwt,
      idp,
      now: () => clock.now(),
      log: (line) => log(`[api] ${line}`),
      extraHandlers: [
        oidcProviderHandler(idp, { issuer: jwt.issuer, audiences: jwt.audience, scopes }),
        consoleSiteHandler({ dir: options.consoleDir ?? DEFAULT_CONSOLE_DIR, issuer: jwt.issuer, clientId: jwt.audience[0]!, scope: ['openid', ...scopes].join(' '), evidenceOrigin: s3.endpoint }),
        localEndpoints({ clock, advance, token, alerts: () => sns.messages(), reconcile: () => reconcile(), bank }),
      ],
    });
    const { url: apiUrl } = await api.listen(ports.api ?? 0);
    stops.push(() => api.close());
    announceCallbackUrl(`${apiUrl}/bank/callbacks`);

    const worker = blueprint.schedules[0];
    // Executions live in memory: after a start every live deadline needs its watcher again, so each
    // start (and each /local/reconcile) runs a reconcile job of its own — the hour's job may have run
    // before the restart — and waits for it to finish before the cloud is reported ready.
    let reconciles = 0;
    const reconcile = async () => {
      if (!worker) return undefined;
      const jobId = `reconcile-local-${Date.now()}-${++reconciles}`;
      const started = await invokeFn(worker.functionArn, { ...(worker.input as object), now: new Date(clock.now()).toISOString(), jobId });
      await clock.settle();
      return started;
    };
    const reconciled = await reconcile();
    log(`[local] reconciled deadline watches: ${JSON.stringify(reconciled)}`);

    return {
      apiUrl,
      endpoints,
      clock,
      ...(bank ? { bank } : {}),
      stepFunctions,
      blueprint,
      alerts: () => sns.messages(),
      token,
      invoke: (prefix, payload) => {
        const fn = blueprint.functions.find((f) => f.logicalId.startsWith(prefix));
        if (!fn) throw new Error(`no function ${prefix}`);
        return invokeFn(fn.arn, payload);
      },
      advance,
      usage: () => ({
        lambda: functionMeter.usage(),
        stepFunctions: stepFunctions.usage(),
        snsPublishes: sns.messages().length,
        ...(dynamodbMeter ? { dynamodb: dynamodbMeter.meter.usage() } : {}),
        ...(requestMeter ? { requests: requestMeter.usage() } : {}),
      }),
      stop: async () => {
        clock.dispose();
        // First, so no callback is sent to an API that is closing (and retried on a stopped clock).
        await bank?.stop().catch(() => undefined);
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
        for (const server of servers.reverse()) await server.stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    throw error;
  }

  async function own<T extends LocalServer>(starting: Promise<T>): Promise<T> {
    const server = await starting;
    servers.push(server);
    return server;
  }
}

/**
 * Starts the bank simulator when the template gives functions BANK_CALLBACK_SECRET_ARN (the
 * payments service's callback secret), signing callbacks with that secret's local value.
 */
async function startBank(
  blueprint: Blueprint,
  secretValue: (secretId: string) => string,
  options: { port: number; stateFile: string; clock: VirtualClock; callbackUrl: Promise<string>; log: (line: string) => void },
): Promise<BankSim | undefined> {
  const secretArn = blueprint.functions.map((fn) => fn.environment.BANK_CALLBACK_SECRET_ARN).find((arn) => arn !== undefined);
  if (secretArn === undefined) return undefined;
  if (!blueprint.secrets.some((secret) => secret.arn === secretArn)) throw new Error(`BANK_CALLBACK_SECRET_ARN names ${secretArn}, which is no secret of the template`);
  const { clock } = options;
  return startBankSim({
    port: options.port,
    callbackUrl: options.callbackUrl,
    callbackSecret: secretValue(secretArn),
    now: () => clock.now(),
    schedule: (fn, ms) => void clock.setTimer(clock.now() + ms, fn),
    stateFile: options.stateFile,
    log: (line) => options.log(`[bank] ${line}`),
  });
}

function readClockOffset(dataDir: string, start: Date | undefined): number {
  const file = join(dataDir, 'clock.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { offsetMs: number }).offsetMs;
  return start ? start.getTime() - Date.now() : 0;
}

/** Written aside and renamed, so a kill -9 mid-write leaves the old file, never an empty one. */
function writeClockOffset(dataDir: string, offsetMs: number): void {
  const file = join(dataDir, 'clock.json');
  writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs }));
  renameSync(`${file}.tmp`, file);
}

async function createTables(endpoint: string, blueprint: Blueprint): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  for (const table of blueprint.tables) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          KeySchema: table.keySchema as never,
          AttributeDefinitions: table.attributeDefinitions as never,
          BillingMode: 'PAY_PER_REQUEST',
          ...(table.globalSecondaryIndexes.length ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes as never } : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  client.destroy();
}

/**
 * The functions share this process, so their environments are merged; two functions giving one
 * variable different values would be a local-cloud bug, so that is refused.
 */
function setFunctionEnvironment(functions: FunctionSpec[], endpoints: Record<string, string>, overrides: Record<string, string>): void {
  const merged: Record<string, string> = {};
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (key === 'NODE_OPTIONS') continue;
      if (key in merged && merged[key] !== value) throw new Error(`functions disagree on ${key}: ${merged[key]} vs ${value}`);
      merged[key] = value;
    }
  }
  Object.assign(process.env, merged, {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    // The SDK's name for Secrets Manager ("Secrets Manager", upper-cased, spaces to underscores).
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secrets,
    S3_FORCE_PATH_STYLE: 'true',
    ...overrides,
  });
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

let generation = 0;

async function loadHandlers(functions: FunctionSpec[]): Promise<Map<string, Handler>> {
  // A fresh module instance per start, so a restarted cloud's clients see its new endpoints.
  generation++;
  const handlers = new Map<string, Handler>();
  for (const fn of functions) {
    if (!existsSync(fn.bundle)) throw new Error(`bundle missing: ${fn.bundle} (run the synth again)`);
    const module = (await import(`${pathToFileURL(fn.bundle).href}?local=${generation}`)) as Record<string, Handler>;
    const handler = module[fn.handlerExport];
    if (typeof handler !== 'function') throw new Error(`${fn.bundle} exports no ${fn.handlerExport}`);
    handlers.set(fn.name, handler);
  }
  return handlers;
}

function lambdaContext(fn: FunctionSpec): Context {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: newId(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function describeAttributes(message: RecordedMessage): string {
  return Object.entries(message.messageAttributes)
    .map(([k, v]) => `${k}=${v.Value}`)
    .join(' ');
}

/** Endpoints that exist only in the local cloud: the clock, recorded alerts, dev tokens, the bank's faults and ledger. */
function localEndpoints(deps: {
  clock: VirtualClock;
  advance: (ms: number) => Promise<void>;
  token: (agency: string, jurisdiction: string, user?: string) => Promise<string>;
  alerts: () => RecordedMessage[];
  reconcile: () => Promise<unknown>;
  bank: BankSim | undefined;
}): ExtraHandler {
  /** Answers and tells the HTTP server the request was handled. */
  const reply = (res: Parameters<ExtraHandler>[1], status: number, body: unknown): true => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body, null, 2));
    return true;
  };
  const clockState = () => ({ now: new Date(deps.clock.now()).toISOString(), nowBeijing: formatBeijing(deps.clock.now()), offsetMs: deps.clock.offsetMs });
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (!url.pathname.startsWith('/local/')) return false;
    const body = req.method === 'POST' ? await readJson(req) : {};
    try {
      if (url.pathname === '/local/clock' && req.method === 'GET') return reply(res, 200, clockState());
      if (url.pathname === '/local/clock/advance' && req.method === 'POST') {
        const ms = durationMs(body, deps.clock.now());
        await deps.advance(ms);
        return reply(res, 200, { advancedMs: ms, ...clockState() });
      }
      if (url.pathname === '/local/alerts' && req.method === 'GET') return reply(res, 200, deps.alerts());
      if (url.pathname === '/local/reconcile' && req.method === 'POST') return reply(res, 200, await deps.reconcile());
      if (url.pathname === '/local/tokens' && req.method === 'POST') {
        const { agency, jurisdiction, user } = body as { agency?: string; jurisdiction?: string; user?: string };
        return reply(res, 201, { token: await deps.token(String(agency), String(jurisdiction), user) });
      }
      if (url.pathname.startsWith('/local/bank/')) {
        if (!deps.bank) return reply(res, 404, { error: { code: 'local.no-bank', message: '本地云未启动模拟银行：模板中没有函数使用 BANK_CALLBACK_SECRET_ARN' } });
        if (url.pathname === '/local/bank/faults' && req.method === 'POST') {
          const settings = faultSettingsSchema.safeParse(body);
          if (!settings.success) return reply(res, 400, { error: { code: 'local.bank-faults-invalid', message: z.prettifyError(settings.error) } });
          deps.bank.setFaults(settings.data);
          return reply(res, 200, { faults: settings.data });
        }
        if (url.pathname === '/local/bank/transfers' && req.method === 'GET') return reply(res, 200, { transfers: deps.bank.transfers() });
      }
      return reply(res, 404, { error: { code: 'local.not-found', message: '本地云没有该接口' } });
    } catch (error) {
      return reply(res, 400, { error: { code: 'local.bad-request', message: String((error as Error).message) } });
    }
  };
}

/** `{ "ms": 1000 }`, `{ "hours": 2 }`, `{ "days": 45 }` or `{ "to": "2026-11-20T00:00:00+08:00" }`. */
export function durationMs(body: unknown, now = Date.now()): number {
  const b = (body ?? {}) as { ms?: number; minutes?: number; hours?: number; days?: number; to?: string };
  const parts = [b.ms ?? 0, (b.minutes ?? 0) * 60_000, (b.hours ?? 0) * 3_600_000, (b.days ?? 0) * 86_400_000];
  if (b.to !== undefined) {
    const target = Date.parse(b.to);
    if (Number.isNaN(target)) throw new Error(`bad instant: ${b.to}`);
    if (target < now) throw new Error(`${b.to} is before the virtual clock (${new Date(now).toISOString()}): the clock only moves forward`);
    return target - now;
  }
  const ms = parts.reduce((a, c) => a + c, 0);
  if (!Number.isFinite(ms) || ms < 0) throw new Error('advance needs a non-negative duration');
  return ms;
}

async function readJson(req: Parameters<ExtraHandler>[0]): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : {};
}
