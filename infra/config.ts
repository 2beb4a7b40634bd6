import * as z from 'zod';

/** The local cloud's development identity provider: the issuer and audience of a `dev` stage. */
export const DEV_ISSUER = 'http://localhost:3000/local-idp';
export const DEV_AUDIENCE = 'land-expropriation-api';
/** The OAuth scope every agency route requires unless configured otherwise (`-c apiScope=…`). */
export const DEFAULT_API_SCOPE = 'expropriation/api';

/** The dev stage's bank: the local cloud replaces it with its simulator's address. */
export const LOCAL_BANK_URL = 'http://127.0.0.1:8990';

/** The stage whose evidence is kept for court: the only one that defaults to COMPLIANCE mode. */
export const PRODUCTION_STAGE = 'prod';

/**
 * A deployment's settings, validated before anything is synthesized. Read from CDK context
 * (`cdk deploy -c issuer=… -c audience=…`, or cdk.json); the defaults are the local cloud's.
 */
const schema = z.object({
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,20}$/),
  /** The city's OIDC identity provider (issuer URL as in its tokens' `iss`). */
  issuer: z.url(),
  /** Accepted `aud` values (or client ids) of agency tokens. */
  audience: z.array(z.string().min(1)).min(1),
  /**
   * OAuth scopes a token must carry (any one of them) per route group — the service serving the
   * route — with `*` for every group not named. API Gateway checks them; the use cases still check
   * the agency's permission for the action.
   */
  scopes: z.record(z.string(), z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/)).min(1)).refine((s) => '*' in s, 'scopes need a "*" entry'),
  /** `seed` (the city's own rules, default) or `national` (national-law periods). */
  ruleVariant: z.enum(['seed', 'national']),
  /**
   * Object Lock default retention of evidence. COMPLIANCE cannot be shortened or lifted by
   * anyone, the account root included, so only the production stage uses it by default.
   */
  evidenceRetention: z.object({ mode: z.enum(['COMPLIANCE', 'GOVERNANCE']), days: z.number().int().min(1).max(36500) }),
  /**
   * The one IAM principal (an IAM user ARN, so that MFA is present in its session) that may
   * assume the break-glass role which alone can decrypt personal ID numbers. None: nobody can.
   */
  // A user, not a role: a role session carries no MFA flag, so the condition could never hold.
  breakGlassPrincipal: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:user\/[\w+=,.@/-]+$/).optional(),
  /**
   * The audit table's daily AWS Backup (decision 0012): how long recovery points are kept, and the
   * vault lock's mode — `compliance` (nobody, not even the account root, can shorten or delete
   * them once the lock's 3-day grace period ends) or `governance` (removable with a special
   * permission: for stages whose data does not matter). Defaults: dev 35 days governance, every
   * other stage 3650 days compliance.
   */
  auditBackupRetentionDays: z.number().int().min(7).max(36500),
  auditBackupLock: z.enum(['compliance', 'governance']),
  /** Optional AWS account and region to pin (e.g. cn-northwest-1 for AWS China). */
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/).optional(),
  /** X-Ray active tracing on functions and the workflow; not offered for Lambda in AWS China. */
  tracing: z.boolean(),
  /** CloudWatch namespace of the functions' metrics. */
  metricsNamespace: z.string().regex(/^[A-Za-z0-9/_.#:-]{1,255}$/),
  /**
   * Origins of the browser console besides its own CloudFront distribution (which is always
   * admitted), e.g. a custom domain: the evidence bucket's CORS rule (uploads straight to the
   * bucket) and the API's CORS admit them. https only, except http://localhost / 127.0.0.1 in the dev stage.
   */
  consoleOrigins: z.array(z.string()),
  /**
   * The bank's payment interface (docs/bank-protocol.md): https in every stage but dev, whose
   * default the local cloud replaces with its bank simulator's address.
   */
  bankUrl: z.url(),
});

export type StageConfig = z.infer<typeof schema>;

export function stageConfig(context: (key: string) => unknown): StageConfig {
  const audience = context('audience');
  const stage = String(context('stage') ?? 'dev');
  // The local development issuer is for the local cloud only (cdk.json's stage `dev`, no account):
  // a real stage, or any synth that names an account to deploy to, must name the city's provider.
  if (!context('issuer') && (stage !== 'dev' || context('account') !== undefined)) {
    throw new Error(`stage ${stage}${context('account') ? ` in account ${String(context('account'))}` : ''}: set the identity provider with -c issuer=<OIDC issuer URL> -c audience=<client id>`);
  }
  const region = context('region') as string | undefined;
  const china = typeof region === 'string' && region.startsWith('cn-');
  const tracing = context('tracing') === undefined ? !china : String(context('tracing')) === 'true';
  // An env-agnostic template cannot tell its partition; a China deployment without -c region
  // must say -c tracing=false (decision 0010).
  if (china && tracing) throw new Error(`region ${region}: X-Ray tracing of Lambda is not offered in AWS China; drop -c tracing=true`);
  const production = stage === PRODUCTION_STAGE;
  const mode = String(context('evidenceRetentionMode') ?? (production ? 'COMPLIANCE' : 'GOVERNANCE'));
  const days = Number(context('evidenceRetentionDays') ?? (production ? 3650 : 1));
  // A COMPLIANCE lock outside production would keep test files, undeletable, for years.
  if (!production && mode === 'COMPLIANCE' && days > 1) {
    throw new Error(`stage ${stage}: COMPLIANCE retention of ${days} days is for stage ${PRODUCTION_STAGE} only; use -c evidenceRetentionMode=GOVERNANCE or -c evidenceRetentionDays=1`);
  }
  return schema.parse({
    tracing,
    metricsNamespace: context('metricsNamespace') ?? 'LandExpropriation',
    stage,
    issuer: context('issuer') ?? DEV_ISSUER,
    audience: typeof audience === 'string' ? audience.split(',') : (audience ?? [DEV_AUDIENCE]),
    ruleVariant: context('ruleVariant') ?? 'seed',
    scopes: scopesOf(context('apiScope'), context('scopes')),
    evidenceRetention: { mode, days },
    breakGlassPrincipal: context('breakGlassPrincipal'),
    // A stage that is not dev keeps its audit backups like records: compliance unless told otherwise.
    auditBackupRetentionDays: Number(context('auditBackupRetentionDays') ?? (stage === 'dev' ? 35 : 3650)),
    auditBackupLock: context('auditBackupLock') ?? (stage === 'dev' ? 'governance' : 'compliance'),
    account: context('account'),
    region: context('region'),
    consoleOrigins: consoleOrigins(context('consoleOrigins'), stage === 'dev'),
    bankUrl: bankUrl(context('bankUrl'), stage),
  });
}

/** `-c bankUrl=https://…`: required outside dev; only dev may use plain http (the local bank). */
function bankUrl(value: unknown, stage: string): string {
  if (value === undefined) {
    if (stage === 'dev') return LOCAL_BANK_URL;
    throw new Error(`stage ${stage}: set the bank's payment interface with -c bankUrl=https://…`);
  }
  const url = URL.parse(String(value));
  if (url === null || !(url.protocol === 'https:' || (stage === 'dev' && url.protocol === 'http:'))) throw new Error(`bankUrl: ${String(value)} is not an https URL`);
  return url.href.replace(/\/$/, '');
}

/** `-c consoleOrigins=https://a,https://b` (or a list in cdk.json), each checked to be an origin. */
function consoleOrigins(value: unknown, dev: boolean): string[] {
  if (value === undefined || value === '') return [];
  const list = typeof value === 'string' ? value.split(',').map((o) => o.trim()) : value;
  if (!Array.isArray(list)) throw new Error('consoleOrigins: a comma-separated list of origins, e.g. -c consoleOrigins=https://console.example.gov.cn');
  return list.map((origin: unknown) => {
    const url = URL.parse(String(origin));
    const local = url !== null && url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    // An origin is scheme, host and port only; the bucket's CORS rule compares it literally.
    if (url === null || url.origin !== String(origin) || !(url.protocol === 'https:' || (local && dev))) {
      throw new Error(`consoleOrigins: ${String(origin)} is not an https origin (scheme://host[:port], no path)${dev ? ' or http://localhost[:port]' : '; http://localhost is for the dev stage only'}`);
    }
    return url.origin;
  });
}

/** `-c apiScope=a/b` (every group) and `-c scopes='{"platform":["a/admin"]}'` (per group, JSON). */
function scopesOf(apiScope: unknown, perGroup: unknown): Record<string, string[]> {
  const groups = typeof perGroup === 'string' ? (JSON.parse(perGroup) as unknown) : (perGroup ?? {});
  return { '*': [typeof apiScope === 'string' ? apiScope : DEFAULT_API_SCOPE], ...(groups as Record<string, string[]>) };
}

/**
 * Every scope some route requires: what the console asks the identity provider for, so that its
 * token passes every route group's authorizer (a group with scopes of its own included).
 */
export const allScopes = (config: Pick<StageConfig, 'scopes'>): string[] => [...new Set(Object.values(config.scopes).flat())];

/** The scopes a route of `group` requires. */
export const scopesFor = (config: Pick<StageConfig, 'scopes'>, group: string): string[] => config.scopes[group] ?? config.scopes['*']!;
