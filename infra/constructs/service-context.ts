import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AUDIT_HEAD_PREFIX } from '../../shared/adapters/audit-keys.ts';
import type { StageConfig } from '../config.ts';
import { evidenceBucketName, type DataStack } from '../stacks/data-stack.ts';
import type { ServiceFunction } from './service-function.ts';

/**
 * What every service construct is built from: the data stack's resources, the stage's settings and
 * the deadline workflow's names. Grants are made here, one need at a time, so a new service states
 * its needs in words (`caseData`, `startWorkflow`) and never writes an ARN or an action list.
 */
export interface ServiceContext {
  data: DataStack;
  config: StageConfig;
  workflow: { name: string; arn: string; executionsArn: string };
  /** The deadline-maintenance workflow (reconcile and holiday recount jobs). */
  maintenance: { name: string; arn: string };
  /** X-Ray where the partition offers it; the metrics namespace of this stage. */
  observability: { tracing: boolean; metricsNamespace: string };
}

/** What every function of a service gets: the case tables, the rule variant, tracing and metrics. */
export function functionDefaults(ctx: ServiceContext) {
  return {
    environment: { CASES_TABLE: ctx.data.cases.tableName, AUDIT_TABLE: ctx.data.audit.tableName, RULE_VARIANT: ctx.config.ruleVariant },
    ...ctx.observability,
  };
}

export class Grants {
  readonly #f: ServiceFunction;
  readonly #ctx: ServiceContext;

  constructor(f: ServiceFunction, ctx: ServiceContext) {
    this.#f = f;
    this.#ctx = ctx;
  }

  /**
   * Case records (guarded puts, counters, queries) and appending to the audit trail — never
   * changing it. The trail is a hash chain per case (decision 0012): appending reads the chain's
   * head, and the role may read nothing else of the audit table.
   */
  caseData(): this {
    const { cases, audit, tablesKey } = this.#ctx.data;
    this.#allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [cases.tableArn, `${cases.tableArn}/index/gsi1`]);
    this.#allow(['dynamodb:PutItem'], [audit.tableArn]);
    this.#f.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [audit.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${AUDIT_HEAD_PREFIX}*`] } },
      }),
    );
    this.#allowKeyVia('dynamodb', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], tablesKey.keyArn);
    return this;
  }

  /** Signed paging cursors: the secret is derived from the cursor key once per cold start. */
  pagedLists(): this {
    this.#f.fn.addEnvironment('CURSOR_KEY_ID', this.#ctx.data.cursorKey.keyArn);
    this.#allow(['kms:GenerateMac'], [this.#ctx.data.cursorKey.keyArn]);
    return this;
  }

  /**
   * Presigned uploads and verification of evidence under `prefix`/ (keys are generated per upload):
   * a project's case files under projects/, the leading group's own (meeting minutes, supervision
   * reports) under oversight/.
   */
  evidence(prefix: 'projects' | 'oversight' = 'projects'): this {
    const { config } = this.#ctx;
    const stack = Stack.of(this.#f);
    const bucket = `arn:${stack.partition}:s3:::${evidenceBucketName(config.stage, stack.account, stack.region)}`;
    this.#f.fn.addEnvironment('EVIDENCE_BUCKET', this.#ctx.data.evidence.bucketName);
    this.#allow(['s3:PutObject', 's3:GetObject'], [`${bucket}/${prefix}/*`]);
    // So that a missing object reads as 404, not 403 (the service tells "not uploaded yet" apart).
    this.#allow(['s3:ListBucket'], [bucket]);
    // Uploads (presigned with this role) and reads back are encrypted by S3 with the evidence key.
    this.#allowKeyVia('s3', ['kms:Decrypt', 'kms:GenerateDataKey'], this.#ctx.data.evidenceKey.keyArn);
    const { region, account } = nagNames(stack);
    Validations.of(this.#f.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::land-exprop-evidence-${config.stage}-${account}-${region}/${prefix}/*]`,
      reason: `Evidence objects are created per upload under ${prefix}/<case>/…; the role may put and read only there, in this one bucket.`,
    });
    return this;
  }

  /** `GET /health/ready`: HeadBucket on the evidence bucket (needs ListBucket) and DescribeStateMachine — no object access. */
  readinessChecks(): this {
    const { config, workflow } = this.#ctx;
    const stack = Stack.of(this.#f);
    this.#f.fn.addEnvironment('EVIDENCE_BUCKET', this.#ctx.data.evidence.bucketName);
    this.#f.fn.addEnvironment('WATCH_WORKFLOW_ARN', workflow.arn);
    this.#allow(['s3:ListBucket'], [`arn:${stack.partition}:s3:::${evidenceBucketName(config.stage, stack.account, stack.region)}`]);
    this.#allow(['states:DescribeStateMachine'], [workflow.arn]);
    return this;
  }

  /** Personal ID numbers: encrypt and keyed-hash, never decrypt. */
  protectPersonalData(): this {
    const { piiKey, piiMacKey } = this.#ctx.data;
    this.#f.fn.addEnvironment('PII_KEY_ID', piiKey.keyArn);
    this.#f.fn.addEnvironment('PII_MAC_KEY_ID', piiMacKey.keyArn);
    this.#allow(['kms:Encrypt'], [piiKey.keyArn]);
    this.#allow(['kms:GenerateMac'], [piiMacKey.keyArn]);
    return this;
  }

  /** Payee bank accounts: encrypt (and keyed-hash) when finance gives them, never decrypt. */
  sealBankAccounts(): this {
    const { bankAccountKey, piiMacKey } = this.#ctx.data;
    this.#f.fn.addEnvironment('BANK_ACCOUNT_KEY_ID', bankAccountKey.keyArn);
    this.#f.fn.addEnvironment('PII_MAC_KEY_ID', piiMacKey.keyArn);
    this.#allow(['kms:Encrypt'], [bankAccountKey.keyArn]);
    this.#allow(['kms:GenerateMac'], [piiMacKey.keyArn]);
    return this;
  }

  /** Decrypts payee bank accounts: only the function that sends instructions to the bank. */
  revealBankAccounts(): this {
    const { bankAccountKey, piiMacKey } = this.#ctx.data;
    this.#f.fn.addEnvironment('BANK_ACCOUNT_KEY_ID', bankAccountKey.keyArn);
    this.#f.fn.addEnvironment('PII_MAC_KEY_ID', piiMacKey.keyArn);
    this.#allow(['kms:Decrypt'], [bankAccountKey.keyArn]);
    return this;
  }

  /** Reads the shared secret that authenticates the bank's callbacks. */
  readSecret(variable: string, secret: secretsmanager.ISecret): this {
    this.#f.fn.addEnvironment(variable, secret.secretArn);
    this.#allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    return this;
  }

  /** Tells a payment workflow waiting on the bank that the bank answered (SendTaskSuccess). */
  releasePayments(stateMachineArn: string): this {
    this.#allow(['states:SendTaskSuccess'], [stateMachineArn]);
    return this;
  }

  /** Starts (and finds) the deadline workflow's executions; optionally stops them to restart. */
  startWorkflow(options: { stop?: boolean } = {}): this {
    const { arn, executionsArn, name } = this.#ctx.workflow;
    this.#f.fn.addEnvironment('WATCH_WORKFLOW_ARN', arn);
    this.#allow(['states:StartExecution'], [arn]);
    this.#allow(options.stop ? ['states:DescribeExecution', 'states:StopExecution'] : ['states:DescribeExecution'], [executionsArn]);
    const { region, account } = nagNames(Stack.of(this.#f));
    Validations.of(this.#f.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:${name}:*]`,
      reason: 'DescribeExecution (and, for reconcile and holiday recount jobs, StopExecution) on executions of this one state machine, whose names are derived from case ids at run time.',
    });
    return this;
  }

  /** Starts maintenance jobs (reconcile, holiday recount) by name on the deadline-maintenance workflow. */
  startMaintenance(): this {
    const { arn } = this.#ctx.maintenance;
    this.#f.fn.addEnvironment('MAINTENANCE_WORKFLOW_ARN', arn);
    this.#allow(['states:StartExecution'], [arn]);
    return this;
  }

  /** Starts executions of a service's own job state machine, named in the environment as `variable`. */
  startJobs(variable: string, stateMachineArn: string): this {
    this.#f.fn.addEnvironment(variable, stateMachineArn);
    this.#allow(['states:StartExecution'], [stateMachineArn]);
    return this;
  }

  /** Tells a workflow waiting on a deadline that its step happened. */
  releaseWorkflow(): this {
    const { arn } = this.#ctx.workflow;
    this.#f.fn.addEnvironment('WATCH_WORKFLOW_ARN', arn);
    this.#allow(['states:SendTaskSuccess'], [arn]);
    return this;
  }

  /** Publishes to the alerts topic. */
  publishAlerts(): this {
    this.#f.fn.addEnvironment('ALERTS_TOPIC_ARN', this.#ctx.data.alerts.topicArn);
    this.#allow(['sns:Publish'], [this.#ctx.data.alerts.topicArn]);
    this.#allowKeyVia('sns', ['kms:Decrypt', 'kms:GenerateDataKey'], this.#ctx.data.alertsKey.keyArn);
    return this;
  }

  /** Sends failed asynchronous invocations (Lambda's on-failure destination) to the queue. */
  sendFailedInvocations(queueArn: string): this {
    this.#allow(['sqs:SendMessage'], [queueArn]);
    this.#allowKeyVia('sqs', ['kms:Decrypt', 'kms:GenerateDataKey'], this.#ctx.data.alertsKey.keyArn);
    return this;
  }

  #allow(actions: string[], resources: string[]): void {
    this.#f.role.addToPolicy(new iam.PolicyStatement({ actions, resources }));
  }

  /**
   * A key used on the function's behalf by one AWS service only (kms:ViaService), so the role
   * cannot call KMS with it directly. The endpoint's suffix is the partition's (`.com.cn` in China).
   */
  #allowKeyVia(service: 'dynamodb' | 's3' | 'sns' | 'sqs', actions: string[], keyArn: string): void {
    const stack = Stack.of(this.#f);
    this.#f.role.addToPolicy(
      new iam.PolicyStatement({ actions, resources: [keyArn], conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } } }),
    );
  }
}

/** cdk-nag names findings with pseudo parameters shown as <AWS::…> when the stack is env-agnostic. */
export function nagNames(stack: Stack): { region: string; account: string } {
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}
