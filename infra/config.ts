import * as z from 'zod';

/** The local cloud's development identity provider: the issuer and audience of a `dev` stage. */
export const DEV_ISSUER = 'http://localhost:3000/local-idp';
export const DEV_AUDIENCE = 'land-expropriation-api';

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
  /** `seed` (the city's own rules, default) or `national` (national-law periods). */
  ruleVariant: z.enum(['seed', 'national']),
  /** Retention of evidence under Object Lock (compliance mode), in days. */
  evidenceRetentionDays: z.number().int().min(1).max(36500),
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
});

export type StageConfig = z.infer<typeof schema>;

export function stageConfig(context: (key: string) => unknown): StageConfig {
  const audience = context('audience');
  const stage = context('stage') ?? 'dev';
  // The local development issuer is for dev only: a real stage must name the city's provider.
  if (stage !== 'dev' && !context('issuer')) {
    throw new Error(`stage ${String(stage)}: set the identity provider with -c issuer=<OIDC issuer URL> -c audience=<client id>`);
  }
  const region = context('region') as string | undefined;
  const china = typeof region === 'string' && region.startsWith('cn-');
  const tracing = context('tracing') === undefined ? !china : String(context('tracing')) === 'true';
  // An env-agnostic template cannot tell its partition; a China deployment without -c region
  // must say -c tracing=false (decision 0010).
  if (china && tracing) throw new Error(`region ${region}: X-Ray tracing of Lambda is not offered in AWS China; drop -c tracing=true`);
  return schema.parse({
    tracing,
    metricsNamespace: context('metricsNamespace') ?? 'LandExpropriation',
    stage,
    issuer: context('issuer') ?? DEV_ISSUER,
    audience: typeof audience === 'string' ? audience.split(',') : (audience ?? [DEV_AUDIENCE]),
    ruleVariant: context('ruleVariant') ?? 'seed',
    evidenceRetentionDays: Number(context('evidenceRetentionDays') ?? 3650),
    // A stage that is not dev keeps its audit backups like records: compliance unless told otherwise.
    auditBackupRetentionDays: Number(context('auditBackupRetentionDays') ?? (stage === 'dev' ? 35 : 3650)),
    auditBackupLock: context('auditBackupLock') ?? (stage === 'dev' ? 'governance' : 'compliance'),
    account: context('account'),
    region: context('region'),
  });
}
